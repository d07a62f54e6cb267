// The floor under Bolt: a plain node:http server that reads the body and answers 200 empty.
const http = require('node:http');

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Length': '0' });
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), () => {
  process.stdout.write(`bare http on http://localhost:${server.address().port}/healthz\n`);
});
process.on('SIGTERM', () => process.exit(0));
