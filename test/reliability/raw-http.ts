// A raw TCP client for requests no HTTP library would send: invalid bytes, malformed framing, slow or pipelined writes.
import { connect, type Socket } from 'node:net'

export interface RawResponse { status: number, headers: Record<string, string>, body: string }

/** Opens a socket to `url`'s host and port. */
export async function openSocket (url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return await new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Everything the server sends until it closes the socket (or `ms` pass), parsed into responses. */
export async function readUntilClosed (socket: Socket, ms = 5000): Promise<{ responses: RawResponse[], closed: boolean }> {
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    socket.once('close', () => { clearTimeout(timer); resolve(true) })
    socket.once('error', () => { /* a reset after the answer is still a close */ })
  })
  socket.destroy()
  return { responses: parseResponses(Buffer.concat(chunks).toString('latin1')), closed }
}

/** Sends `bytes` on a fresh socket and reads until the server closes it. */
export async function rawExchange (url: string, bytes: string | Buffer, ms = 5000): Promise<{ responses: RawResponse[], closed: boolean }> {
  const socket = await openSocket(url)
  const reading = readUntilClosed(socket, ms)
  socket.write(bytes)
  return await reading
}

/** Splits an HTTP/1.1 byte stream into responses (Content-Length framing only, which is all the sandbox sends). */
export function parseResponses (text: string): RawResponse[] {
  const responses: RawResponse[] = []
  let rest = text
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n')
    if (end < 0) break
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n')
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const length = Number(headers['content-length'] ?? 0)
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) })
    rest = rest.slice(end + 4 + length)
  }
  return responses
}
