// A bare Express 5 app, to compare runtimes (issue 10): GET / answers a small JSON body,
// POST /echo parses a JSON body with express.json() and answers its size (the ceiling the bench has
// always used); POST /hello parses it and answers {ok:true} (the strict hello-world ceiling, issue 20).
import express from 'express';

const app = express();
app.use(express.json({ limit: '1mb' }));
app.get('/', (_req, res) => res.json({ hello: 'world' }));
app.post('/echo', (req, res) => res.json({ bytes: JSON.stringify(req.body).length }));
app.post('/hello', (_req, res) => res.json({ ok: true }));
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
