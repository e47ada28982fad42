#!/usr/bin/env node
// Starts dynalite (in memory) on loopback and prints the port it got, so the JVM can pick a free
// port (dynalite's own CLI treats --port 0 as "use 4567"). Exits when its stdin closes: the parent
// JVM holds the pipe, so the server never outlives the process that started it.
const dynalite = require('dynalite')
const port = Number(process.argv[2] || 0)
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.on('error', (err) => {
  console.error(`dynalite: cannot listen on 127.0.0.1:${port}: ${err.code || err.message}`)
  process.exit(2)
})
server.listen(port, '127.0.0.1', () => {
  console.log(`DYNALITE_PORT=${server.address().port}`)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
