import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFigure, safeSvgImage } from '../../src/report/figures.js';
import { renderReport } from '../../src/report/render.js';
import { pdfText } from './pdf.js';

// the real module object (a namespace import is read-only), so that its functions can be spied on

const fs = require('node:fs') as typeof import('node:fs');
const H = 'ab'.repeat(32);
const ENV = { os: 'Linux', cpu: 'cpu', memory: '1 GiB', node: 'v20', onnxruntime: '1.23.0', executionProvider: 'cpu' };

describe('report/access policy: nothing outside the bundle is read, no URL fetched', function () {
  this.timeout(60000);
  let tmp: string;
  let server: Server;
  let hits: string[];
  let port: number;

  before(async () => {
    hits = [];
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.end('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => (tmp = fs.mkdtempSync(join(tmpdir(), 'ptmc-access-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('loadFigure refuses URLs, absolute paths, .. escapes and links out of the bundle', () => {
    fs.mkdirSync(join(tmp, 'figures'));
    fs.symlinkSync('/etc/passwd', join(tmp, 'figures', 'link.svg'));
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${port}/f.svg`, /URLs/],
      ['file:///etc/passwd', /URLs/],
      ['data:image/svg+xml,<svg/>', /URLs/],
      ['/etc/passwd', /absolute/],
      ['../../../../../../../../etc/passwd', /leaves the bundle/],
      ['figures/link.svg', /link leaves the bundle/],
      ['figures/none.svg', /not found/],
    ];
    for (const [path, why] of cases) {
      const f = loadFigure(tmp, { name: 'x', path });
      assert.equal(f.kind, 'refused', path);
      assert.match((f as { reason: string }).reason, why, path);
    }
    assert.equal(hits.length, 0);
  });

  it('safeSvgImage passes inline PNG/JPEG data only', () => {
    assert.equal(safeSvgImage('data:image/png;base64,AAAA'), 'data:image/png;base64,AAAA');
    for (const l of ['/etc/passwd', 'file:///etc/passwd', `http://127.0.0.1:${port}/x.png`, 'data:image/svg+xml;base64,AAAA']) {
      assert.equal(safeSvgImage(l), 'data:image/png;base64,');
    }
  });

  it('a hostile result renders, names each refused figure, fetches nothing and reads no file outside the bundle', async () => {
    fs.mkdirSync(join(tmp, 'results'));
    fs.mkdirSync(join(tmp, 'figures'));
    const evil = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">
<rect width="200" height="100" fill="#eeeeee"/>
<image x="0" y="0" width="50" height="50" xlink:href="/etc/passwd"/>
<image x="60" y="0" width="50" height="50" href="http://127.0.0.1:${port}/img.png"/>
<image x="120" y="0" width="50" height="50" href="file:///etc/hostname"/>
<a href="http://127.0.0.1:${port}/click"><text x="10" y="90" font-size="12">link</text></a></svg>`;
    fs.writeFileSync(join(tmp, 'figures', 'evil.svg'), evil);
    const result = {
      clause: '6.3.6',
      title: { zh: '鲁棒性', en: 'Robustness' },
      verdict: 'pass',
      rationale: 'all 1 claim(s) met',
      claims: [],
      coverage: [],
      findings: [],
      measurements: [],
      tables: [],
      settings: {},
      modelSha256: H,
      environment: ENV,
      startedAt: '2026-11-28T06:00:00.000Z',
      finishedAt: '2026-11-28T06:00:01.000Z',
      figures: [
        { name: 'url', path: `http://127.0.0.1:${port}/figure.svg` },
        { name: 'abs', path: '/etc/passwd' },
        { name: 'dotdot', path: '../../../../../../../etc/passwd' },
        { name: 'file', path: 'file:///etc/passwd' },
        { name: 'evil', path: 'figures/evil.svg' },
      ],
    };
    fs.writeFileSync(join(tmp, 'results', '6.3.6.json'), JSON.stringify(result));
    const reads: string[] = [];
    const orig = { readFileSync: fs.readFileSync, openSync: fs.openSync, createReadStream: fs.createReadStream };
    const spy = (name: keyof typeof orig) =>
      function (this: unknown, p: unknown, ...rest: unknown[]) {
        if (typeof p === 'string' || p instanceof URL) reads.push(String(p));
        return (orig[name] as (...a: unknown[]) => unknown).call(this, p, ...rest);
      };
    const mfs = fs as unknown as Record<string, unknown>;
    mfs.readFileSync = spy('readFileSync');
    mfs.openSync = spy('openSync');
    mfs.createReadStream = spy('createReadStream');
    const out = join(tmp, 'report.pdf');
    try {
      await renderReport(tmp, { lang: 'en', out });
    } finally {
      Object.assign(mfs, orig);
    }
    assert.equal(hits.length, 0, `HTTP requests made: ${hits.join(', ')}`);
    const outside = reads.filter((p) => /(^|\/)etc\/(passwd|hostname)/.test(p));
    assert.deepEqual(outside, []);
    const text = pdfText(out).replace(/\s+/g, ' ');
    assert.match(text, /figure not embedded: http:\/\/127\.0\.0\.1:\d+\/figure\.svg — URLs are not fetched/);
    assert.match(text, /figure not embedded: \/etc\/passwd — absolute paths are not read/);
    assert.match(text, /figure not embedded: \.\.\/\.\.\/.*passwd — path leaves the bundle/);
    assert.match(text, /figure not embedded: file:\/\/\/etc\/passwd — URLs are not fetched/);
    assert.ok(text.includes('Figure 6.3.6-5 evil'), 'the in-bundle figure is embedded (its images neutralised)');
    assert.ok(!text.includes('root:x:0:0'), 'no /etc/passwd content');
  });
});
