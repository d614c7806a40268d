// The package's one runtime bundle (dist/runtime.cjs): the library, and the server's and command line's mains.
export * as library from '../index.js'
export { runCli, runServer } from './run.js'
