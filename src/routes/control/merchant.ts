// Control plane for the merchant's side: edit or add a connection's products as if it happened in the cart.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { CartProductSchema } from '../../schemas/product.js'
import { AddProductsSchema, ProductPatchSchema } from '../../schemas/control.js'
import { addProducts, editProduct, type ProductPatch } from '../../domain/inventory/merchant.js'
import type { Sandbox } from '../../domain/sandbox.js'

const tags = ['sandbox control']
const ConnectionParams = Type.Object({ connection_id: Type.String({ minLength: 1 }) })
const ProductParams = Type.Object({ connection_id: Type.String({ minLength: 1 }), product_id: Type.String({ minLength: 1, maxLength: 500 }) })

export const merchantRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  app.patch('/_sandbox/connections/:connection_id/products/:product_id', {
    schema: {
      tags,
      summary: "Change a product as the merchant would in the cart (merge), with a ledger row (source cart) per stock change and cart-product.updated",
      operationId: 'sandbox_patch_product',
      params: ProductParams,
      body: ProductPatchSchema,
      response: { 200: Type.Object({ data: Type.Ref(CartProductSchema) }), 404: ErrorSchema, 422: ErrorSchema }
    }
  }, async (request) => {
    const { connection_id: connectionId, product_id: productId } = request.params
    return { data: editProduct(sandbox, connectionId, productId, request.body as ProductPatch, request.id) }
  })

  app.post('/_sandbox/connections/:connection_id/products', {
    // A catalogue of thousands of products is a normal addition; the emulated API keeps Fastify's 1 MiB limit.
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Add products to a connection as the merchant would in the cart, with cart-product.created for each',
      operationId: 'sandbox_add_products',
      params: ConnectionParams,
      body: AddProductsSchema,
      response: { 201: Type.Object({ data: Type.Array(Type.Ref(CartProductSchema)) }), 404: ErrorSchema, 422: ErrorSchema }
    }
  }, async (request, reply) => {
    return reply.code(201).send({ data: addProducts(sandbox, request.params.connection_id, request.body.products, request.id) })
  })
}
