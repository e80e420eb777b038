import { expect } from 'chai';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { OpenResponses } from '../../../src/http/open-responses.js';

describe('OpenResponses', () => {
  it('counts responses until they close, reuses their slots, and makes unsent ones close their connection', async () => {
    const responses = new OpenResponses();
    const held: http.ServerResponse[] = [];
    let hold = false;
    const server = http.createServer((_req, res) => {
      if (hold) held.push(res);
      else res.end('quick');
    });
    responses.attach(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      // Sequential quick requests: each slot is released before the next request, so one slot serves them all.
      for (let i = 0; i < 50; i++) await (await fetch(url)).text();
      expect(responses.size).to.equal(0);
      expect((responses as unknown as { slots: unknown[] }).slots).to.have.length(1);

      hold = true;
      const slow = [fetch(url), fetch(url)];
      while (held.length < 2) await new Promise((r) => setTimeout(r, 5));
      expect(responses.size).to.equal(2);
      responses.closeAfterAnswer();
      for (const res of held) res.end('late');
      const answers = await Promise.all(slow);
      expect(answers.map((a) => a.headers.get('connection'))).to.deep.equal(['close', 'close']);
      await Promise.all(answers.map((a) => a.text()));
      while (responses.size > 0) await new Promise((r) => setTimeout(r, 5));
      expect(responses.size).to.equal(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
