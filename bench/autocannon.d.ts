// The part of autocannon's programmatic API the bench uses (the package ships no types).
declare module 'autocannon' {
  export interface RequestParams { method?: string, path?: string, headers?: Record<string, string>, body?: string }
  export interface Options {
    url: string
    connections?: number
    duration?: number
    pipelining?: number
    /** `setupRequest` gets the connection's own context object, emptied each time the connection starts the list again. */
    requests?: Array<RequestParams & { setupRequest?: (request: RequestParams, context: Record<string, unknown>) => RequestParams }>
  }
  export interface Histogram { average: number, mean: number, p50: number, p99: number, max: number, total: number }
  export interface Result {
    requests: Histogram
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
  }
  function autocannon (options: Options): Promise<Result>
  export default autocannon
}
