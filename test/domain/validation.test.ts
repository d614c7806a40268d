// The wording of validation messages: what is wrong and what is allowed, for every keyword the sandbox uses.
import t from 'tap'
import { ajvErrorsToDetail, createAjv } from '../../src/domain/validation.js'

t.test('Ajv errors become Trackstar detail with readable messages', async (t) => {
  const ajv = createAjv()
  const validate = ajv.compile({
    type: 'object',
    properties: {
      low: { type: 'integer', minimum: 1 },
      high: { type: 'integer', maximum: 9 },
      short: { type: 'string', minLength: 3 },
      long: { type: 'string', maxLength: 2 },
      code: { type: 'string', pattern: '^[a-z]+$' },
      flag: { type: 'boolean' },
      price: { type: 'number' },
      list: { type: 'array', minItems: 2 },
      when: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email' },
      'a/b': { type: 'object', properties: { c: { type: 'integer' } } }
    }
  })
  validate({ low: 0, high: 10, short: 'a', long: 'abc', code: 'A1', flag: 'yes', price: 'cheap', list: [1], when: 'soon', email: 'x', 'a/b': { c: 'd' } })
  const detail = ajvErrorsToDetail(validate.errors ?? [], 'query')
  t.same(detail, {
    query: {
      low: ['Must be greater than or equal to 1.'],
      high: ['Must be less than or equal to 9.'],
      short: ['Shorter than minimum length 3.'],
      long: ['Longer than maximum length 2.'],
      code: ['String does not match expected pattern.'],
      flag: ['Not a valid boolean.'],
      price: ['Not a valid number.'],
      list: ['must NOT have fewer than 2 items.'],
      when: ['Not a valid datetime.'],
      email: ['Not a valid email.'],
      'a/b.c': ['Not a valid integer.']
    }
  })
  const nullable = ajv.compile({ type: ['string', 'null'] })
  nullable(5)
  t.same(ajvErrorsToDetail(nullable.errors ?? [], 'json'), { json: { _schema: ['Must be of type string,null.'] } })
})
