// Configuration from the environment (and CLI flags, which set the same names), validated with one clear line per mistake.
import { Type, type Static } from '@sinclair/typebox'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { StringEnum } from './schemas/common.js'

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  SANDBOX_DB: Type.String({ minLength: 1, default: 'data/sandbox.sqlite' }),
  SANDBOX_FIXTURES: Type.String({ default: '' }),
  SANDBOX_ADMIN_TOKEN: Type.String({ default: '' }),
  SANDBOX_RATE_LIMIT: StringEnum(['on', 'off'], { default: 'on' }),
  SANDBOX_CORS_ORIGINS: Type.String({ default: '', pattern: '^\\s*(\\*|[^*]*)\\s*$', description: "'*' or a comma list of origins; empty: CORS off" }),
  SANDBOX_JOURNAL_SIZE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
  LOG_LEVEL: StringEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  CLOSE_GRACE_DELAY: Type.Integer({ minimum: 0, default: 5000 })
})
export type EnvConfig = Static<typeof ConfigSchema>

/** The resolved options buildApp takes; server, CLI and library all produce one. */
export interface SandboxConfig {
  port: number
  host: string
  dbPath: string
  /** Directory or JSON file of fixtures; empty for the bundled ones. */
  fixtures: string
  adminToken: string
  rateLimit: boolean
  journalSize: number
  /** '' (CORS off), '*' or a comma list of origins allowed to call from a browser. */
  corsOrigins: string
  logLevel: string
  closeGraceDelay: number
}

export class ConfigError extends Error {}

// Ajv as env-schema configures it (strings converted, defaults filled in, all errors), without env-schema's second Ajv
// and meta-schema. Compiled on the first loadConfig call: a program that only imports the library never needs it.
let validateEnv: ValidateFunction<EnvConfig> | undefined

/** Reads and validates `env`; throws ConfigError with one line naming the bad variable. */
export function loadConfig (env: Record<string, string | undefined> = process.env): SandboxConfig {
  // Only our own keys are passed so an unrelated variable can never break the start.
  const parsed = Object.fromEntries(Object.keys(ConfigSchema.properties).map((key) => [key, env[key]]).filter(([, v]) => v !== undefined))
  validateEnv ??= new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, validateSchema: false }).compile<EnvConfig>(ConfigSchema)
  if (!validateEnv(parsed)) throw new ConfigError(describeEnvError(validateEnv.errors as ErrorObject[]))
  return toSandboxConfig(parsed)
}

function toSandboxConfig (parsed: EnvConfig): SandboxConfig {
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dbPath: parsed.SANDBOX_DB,
    fixtures: parsed.SANDBOX_FIXTURES,
    adminToken: parsed.SANDBOX_ADMIN_TOKEN,
    rateLimit: parsed.SANDBOX_RATE_LIMIT === 'on',
    journalSize: parsed.SANDBOX_JOURNAL_SIZE,
    corsOrigins: parsed.SANDBOX_CORS_ORIGINS,
    logLevel: parsed.LOG_LEVEL,
    closeGraceDelay: parsed.CLOSE_GRACE_DELAY
  }
}

// Ajv reports every violation ("/PORT must be integer", ...); the first, readable, is enough to fix the start.
function describeEnvError (errors: ErrorObject[]): string {
  const [first] = errors as [ErrorObject]
  return `Invalid configuration: ${first.instancePath.slice(1)} ${first.message as string}`
}

/** The configuration of an empty environment: every schema default, which needs no validation. */
export const DEFAULT_CONFIG: SandboxConfig = toSandboxConfig(
  Object.fromEntries(Object.entries(ConfigSchema.properties).map(([key, schema]) => [key, schema.default])) as EnvConfig)
