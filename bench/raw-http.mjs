// The floor: node:http alone, parsing a JSON body and answering JSON, no framework.
// Usage: node bench/raw-http.mjs [port]; prints the port it listens on.
import http from 'node:http';

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let bytes = 0;
    try {
      bytes = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8'))).length;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const body = JSON.stringify({ bytes });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
