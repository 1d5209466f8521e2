import { strict as assert } from 'node:assert';
import { decodeMessage, DELIMITER, encodeMessage, newHeader, signMessage, WireError, type JupyterMessage } from '../../src/jupyter/wire.js';

const KEY = 'secret-key';

function msg(): JupyterMessage {
  return { header: newHeader('execute_request', 'sess-1'), parent_header: {}, metadata: {}, content: { code: '1+1', silent: false } };
}

describe('notebook/wire', () => {
  it('signs like jupyter_client (HMAC-SHA256 over the four JSON frames)', () => {
    // Reference: jupyter_client.session.Session(key=b'secret-key').sign(frames)
    const frames = ['{"msg_id":"1"}', '{}', '{}', '{"code":"1+1"}'];
    assert.equal(signMessage(KEY, frames), 'f29edc2ae347e99e996cf426a9068abd72bbac08f131d7b7d863f0430600434a');
    assert.equal(signMessage('', frames), '');
  });

  it('newHeader makes a 5.3 header with a UUID and an ISO date', () => {
    const h = newHeader('kernel_info_request', 's');
    assert.match(h.msg_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(h.version, '5.3');
    assert.equal(h.username, 'ptmc');
    assert.equal(h.msg_type, 'kernel_info_request');
    assert.ok(!Number.isNaN(Date.parse(h.date)));
  });

  it('encodes identities, delimiter, signature, four JSON frames and buffers, and decodes them back', () => {
    const m = { ...msg(), buffers: [Buffer.from([1, 2, 3])] };
    const frames = encodeMessage(m, KEY, [Buffer.from('peer-1')]);
    assert.equal(frames.length, 1 + 1 + 1 + 4 + 1);
    assert.equal(frames[0]!.toString(), 'peer-1');
    assert.equal(frames[1]!.toString(), DELIMITER);
    assert.equal(frames[2]!.toString(), signMessage(KEY, frames.slice(3, 7)));
    assert.equal(frames[6]!.toString(), '{"code":"1+1","silent":false}');
    const d = decodeMessage(frames, KEY);
    assert.deepEqual(d.identities.map(String), ['peer-1']);
    assert.deepEqual(d.header, m.header);
    assert.deepEqual(d.content, { code: '1+1', silent: false });
    assert.deepEqual(d.buffers, [Buffer.from([1, 2, 3])]);
  });

  it('rejects a tampered message, a wrong key and a missing signature with WireError', () => {
    const frames = encodeMessage(msg(), KEY);
    const tampered = [...frames];
    tampered[5] = Buffer.from('{"x":1}');
    assert.throws(
      () => decodeMessage(tampered, KEY),
      (e: unknown) => e instanceof WireError && e.message === 'message has an invalid HMAC-SHA256 signature',
    );
    assert.throws(
      () => decodeMessage(frames, 'other-key'),
      (e: unknown) => e instanceof WireError && e.message === 'message has an invalid HMAC-SHA256 signature',
    );
    const unsigned = encodeMessage(msg(), '');
    assert.equal(unsigned[1]!.length, 0);
    assert.throws(
      () => decodeMessage(unsigned, KEY),
      (e: unknown) => e instanceof WireError && e.message === 'message is not signed',
    );
    const short = [...frames];
    short[1] = Buffer.from('abc');
    assert.throws(
      () => decodeMessage(short, KEY),
      (e: unknown) => e instanceof WireError && e.message === 'message has an invalid HMAC-SHA256 signature',
    );
  });

  it('accepts unsigned messages when the key is empty (as Jupyter)', () => {
    const d = decodeMessage(encodeMessage(msg(), ''), '');
    assert.equal(d.header.msg_type, 'execute_request');
  });

  it('rejects frames without a delimiter or with missing or non-object JSON frames', () => {
    assert.throws(
      () => decodeMessage([Buffer.from('a')], KEY),
      (e: unknown) => e instanceof WireError && e.message === 'message has no <IDS|MSG> delimiter frame',
    );
    const frames = encodeMessage(msg(), KEY);
    assert.throws(
      () => decodeMessage(frames.slice(0, 4), KEY),
      (e: unknown) => e instanceof WireError && e.message === 'message has 3 frames after the delimiter, expected at least 5',
    );
    const bad = [Buffer.from(DELIMITER), Buffer.alloc(0), Buffer.from('[]'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')];
    assert.throws(
      () => decodeMessage(bad, ''),
      (e: unknown) => e instanceof WireError && e.message === 'the header frame is not a JSON object: not a JSON object',
    );
  });
});
