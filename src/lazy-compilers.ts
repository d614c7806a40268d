// Fastify's route validators and response serializers, each compiled on its first use instead of all at startup.
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type ValidatorFactory = ReturnType<typeof AjvCompiler>
type SerializerFactory = ReturnType<typeof SerializerSelector>
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown, schemaEnv?: unknown }

/**
 * Fastify's own validator factory (its Ajv, the same options and shared schemas), deferred to a route's first request,
 * so a start does not compile every route's schemas and the Ajv instance behind them.
 */
export function lazyValidatorFactory (): ValidatorFactory {
  const eager = AjvCompiler()
  return (externalSchemas, options) => {
    let compile: ReturnType<ValidatorFactory> | undefined
    return (route) => {
      let validate: Validate | undefined
      const lazy: Validate = (data, context) => {
        validate ??= (compile ??= eager(externalSchemas, options))(route) as Validate
        const valid = validate(data, context)
        lazy.errors = validate.errors
        return valid
      }
      // Fastify hands the request part's parent to Ajv functions only (they are told apart by this property).
      lazy.schemaEnv = true
      return lazy as ReturnType<ReturnType<ValidatorFactory>>
    }
  }
}

/**
 * Fastify's own serializer factory (fast-json-stringify, the same options and shared schemas), deferred: a start does
 * not generate the code of every route × status, most of which a test run never uses.
 * The bytes sent are those of the eager serializer; only the moment it is built changes.
 */
export function lazySerializerFactory (): SerializerFactory {
  const eager = SerializerSelector()
  return (externalSchemas, options) => {
    const compile = eager(externalSchemas, options)
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined
      return (doc) => (serialize ??= compile(route))(doc)
    }
  }
}
