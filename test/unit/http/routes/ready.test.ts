import { expect } from 'chai';
import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { readyRoutes } from '../../../../src/http/routes/ready.js';

describe('GET /ready', () => {
  it('is 200 while the producer has a live broker connection, 503 otherwise', async () => {
    let connected = true;
    const app = express().use(readyRoutes({ isKafkaConnected: () => connected }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`;
    try {
      let res = await fetch(url);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ ready: true, kafka_connected: true, status_view_ready: true });
      connected = false;
      res = await fetch(url);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ ready: false, kafka_connected: false, status_view_ready: true });
    } finally {
      server.close();
    }
  });

  it('stays 503 until the status view is rebuilt', async () => {
    let rebuilt = false;
    const app = express().use(readyRoutes({ isKafkaConnected: () => true, isStatusReady: () => rebuilt }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`;
    try {
      let res = await fetch(url);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ ready: false, kafka_connected: true, status_view_ready: false });
      rebuilt = true;
      res = await fetch(url);
      expect(res.status).to.equal(200);
    } finally {
      server.close();
    }
  });

  it('shows whether the schema registry answers, without making the replica unready', async () => {
    let up: boolean | undefined;
    const app = express().use(readyRoutes({ isKafkaConnected: () => true, schemaRegistryReachable: () => up }));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`;
    try {
      const seen: unknown[] = [];
      for (const state of [undefined, true, false]) {
        up = state;
        const res = await fetch(url);
        expect(res.status).to.equal(200);
        seen.push(((await res.json()) as { schema_registry: string }).schema_registry);
      }
      expect(seen).to.deep.equal(['unknown', 'up', 'down']);
    } finally {
      server.close();
    }
  });
});
