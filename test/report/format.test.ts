import { strict as assert } from 'node:assert';
import { breakable, formatConditions, formatValue } from '../../src/report/format.js';
import { CELL_PADDING, cellNode, fitWidths, minTextWidth, TEXT_WIDTH, textWidth } from '../../src/report/layout.js';
import { fallbackReason } from '../../src/report/reasons.js';
import { clauseRequirement, reportStrings } from '../../src/report/strings.js';
import { cellText, conditionsText, flattenSettings, formatNumber, unitLabel } from '../../src/report/values.js';
import { CLAUSES } from '../../src/results/clauses.js';

describe('report/format', () => {
  it('formatValue: 4 significant digits, exact integers, exponents for tiny/huge, words for the rest', () => {
    assert.equal(formatValue(0.871234), '0.8712');
    assert.equal(formatValue(9040000), '9040000');
    assert.equal(formatValue(0.00001234), '1.234e-5');
    assert.equal(formatValue(1.5e12 + 0.5), '1.500e+12');
    assert.equal(formatValue(null), '—');
    assert.equal(formatValue(true), 'true');
    assert.equal(formatValue({ a: 0.123456, b: [1, 2] }), '{"a":0.1235, "b":[1, 2]}');
    assert.equal(formatValue('x'.repeat(300)).length, 240);
  });

  it('formatConditions: key=value, nested keys dotted', () => {
    assert.equal(
      formatConditions({ corruption: 'gaussian-noise', severity: 3, params: { sigmaStd: 0.2 } }),
      'corruption=gaussian-noise, severity=3, params.sigmaStd=0.2',
    );
    assert.equal(formatConditions([1, 2]), '[1, 2]');
  });

  it('breakable: long tokens split only after /, . or _ (hair spaces), never break-all', () => {
    assert.deepEqual(breakable('a short text'), { text: 'a short text' });
    assert.deepEqual(breakable('ab'.repeat(32), { bold: true }), { text: 'ab'.repeat(32), bold: true });
    const hair = { text: ' ', fontSize: 0.1 };
    assert.deepEqual(breakable('see runtime_telemetry.exitCode'), {
      text: [{ text: 'see' }, { text: ' ' }, { text: 'runtime_' }, hair, { text: 'telemetry.' }, hair, { text: 'exitCode' }],
    });
  });

  it('every clause has a bilingual requirement and method, and both languages have the same labels', () => {
    for (const c of CLAUSES) {
      const r = clauseRequirement(c.clause)!;
      for (const t of [r.requirement, r.method]) {
        assert.ok(t.zh.length > 20 && /[\u4e00-\u9fff]/.test(t.zh), `${c.clause} zh`);
        assert.ok(t.en.length > 20 && /^[\x20-\x7e\u2013\u2014\u00d7]+$/.test(t.en), `${c.clause} en`);
      }
    }
    assert.deepEqual(Object.keys(reportStrings('zh')).sort(), Object.keys(reportStrings('en')).sort());
    assert.equal(reportStrings('zh').verdicts.inconclusive, '无法判定');
  });
});

describe('report/layout', () => {
  it('cellNode: numbers never wrap and are right-aligned', () => {
    assert.deepEqual(cellNode('36,110,336'), { text: '36,110,336', noWrap: true, alignment: 'right' });
    assert.deepEqual(cellNode('-1.234e-5'), { text: '-1.234e-5', noWrap: true, alignment: 'right' });
    assert.deepEqual(cellNode('gaussian-noise'), { text: 'gaussian-noise' });
  });

  it('minTextWidth: the widest identifier piece, a number whole, one CJK character', () => {
    // 'telemetry.' is the widest piece of the pointer
    assert.equal(minTextWidth('runtime_telemetry.exitCode', 10), textWidth('telemetry.', 10));
    assert.ok(textWidth('telemetry.', 10) > textWidth('exitCode', 10) && textWidth('telemetry.', 10) > textWidth('runtime_', 10));
    assert.equal(textWidth('0123456789', 10), 55.5, 'Noto Sans SC: the ten digits are 5.55 em');
    assert.equal(
      minTextWidth('0.9999 12,345', 10),
      textWidth('0.9999', 10) > textWidth('12,345', 10) ? textWidth('0.9999', 10) : textWidth('12,345', 10),
    );
    assert.equal(minTextWidth('模型标识', 10), 40, 'a short CJK word stays whole');
    assert.equal(minTextWidth('预训练模型的说明文档', 10), 10, 'a longer one wraps between characters');
    assert.equal(minTextWidth('4.2.1', 10), textWidth('4.2.1', 10), 'a short word is never split at its dots');
    assert.equal(
      minTextWidth('trainingSamplesPerSecond', 10),
      textWidth('trainingSamplesPerSecond', 10),
      'an identifier without / . _ whole',
    );
    assert.equal(minTextWidth('ab'.repeat(32), 10), textWidth('ab'.repeat(20), 10), 'a hash-like run counts with 40 characters');
  });

  it('fitWidths: every column at least its widest header word and token; the page width filled', () => {
    const headers = ['exit code', 'p-value', 'note'];
    const rows = [['0', '0.9999', 'a long explanation of what was compared and why it matters to the assessor of the model'.repeat(2)]];
    const { widths, fontSize } = fitWidths(headers, rows, 8);
    assert.equal(fontSize, 8);
    assert.ok(Math.abs(widths.reduce((a, b) => a + b, 0) - (TEXT_WIDTH - 3 * CELL_PADDING)) < 0.1, String(widths));
    assert.ok(widths[0]! >= textWidth('code', 8, true) && widths[1]! >= textWidth('p-value', 8, true), String(widths));
    assert.ok(widths[2]! > widths[0]! + widths[1]!, 'the text column gets the room');
    // nine wide numeric columns do not fit at 8 pt: the font steps down and each number still fits whole
    const many = fitWidths(
      Array.from({ length: 9 }, (_, i) => `c${i}`),
      [Array.from({ length: 9 }, () => '1,234,567.89')],
      8,
    );
    assert.ok(many.fontSize < 8, String(many.fontSize));
    for (const w of many.widths) assert.ok(w >= textWidth('1,234,567.89', many.fontSize), `${w} at ${many.fontSize}`);
  });
});

describe('report/values and fallback reasons', () => {
  it('flattenSettings: dotted keys, comma lists, bilingual texts and enumerations in one language', () => {
    const s = {
      trainable: { lastLayers: 2 },
      sizes: [1, 8],
      mode: { zh: '冻结', en: 'frozen' },
      found: true,
      runs: [{ name: 'blur', params: [{ sigma: 0.5 }, { sigma: 1 }] }],
    };
    assert.deepEqual(flattenSettings(s, 'en'), [
      ['trainable.lastLayers', '2'],
      ['sizes', '1, 8'],
      ['mode', 'frozen'],
      ['found', 'yes'],
      ['runs[0]', 'name: blur, params: (sigma: 0.5); (sigma: 1)'],
    ]);
    assert.deepEqual(flattenSettings(s, 'zh')[2], ['mode', '冻结']);
    assert.deepEqual(flattenSettings(s, 'zh')[3], ['found', '是']);
  });

  it('cellText: "中文 / English" labels, enumerations, JSON strings as pairs, numbers with separators', () => {
    assert.equal(cellText('模型标识 / model identifier', 'en'), 'model identifier');
    assert.equal(cellText('模型标识 / model identifier', 'zh'), '模型标识');
    assert.equal(cellText('frozen / 冻结', 'zh'), '冻结');
    assert.equal(cellText('a / b', 'zh'), 'a / b');
    assert.equal(cellText('shall', 'zh'), '应');
    assert.equal(cellText('present', 'zh'), '已给出');
    assert.equal(cellText('{"sigmaPx":2.5}', 'en'), 'sigmaPx: 2.5');
    assert.equal(cellText(36110336, 'en'), '36,110,336');
    assert.equal(cellText(2024, 'en'), '2024');
    assert.equal(formatNumber(0.99991), '0.9999');
    assert.equal(
      conditionsText({ provider: 'cpu', stoppedByBudget: false, params: { sigma: 0.5 } }, 'zh'),
      'provider=cpu, stoppedByBudget=否, params.sigma=0.5',
    );
    assert.equal(formatNumber(12345.678), '12,350');
  });

  it("fallbackReason: the tool's own reasons per language, the runtime's message kept", () => {
    const cuda =
      'CUDA provider binaries not installed (missing /a/libx.so); ' +
      'install them with ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node';
    assert.equal(fallbackReason(cuda, 'en'), cuda);
    assert.equal(
      fallbackReason(cuda, 'zh'),
      '未安装 CUDA 提供程序二进制文件（缺少 /a/libx.so）；安装方法：ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node',
    );
    const webgpu =
      'Failed to get a WebGPU adapter: No supported adapters ' +
      "(GPU seen: none; WebGPU on Linux needs a Vulkan driver: libvulkan.so.1 and the GPU vendor's Vulkan ICD)";
    assert.equal(
      fallbackReason(webgpu, 'zh'),
      'Failed to get a WebGPU adapter: No supported adapters（检测到的 GPU：无；Linux 上的 WebGPU 需要 Vulkan 驱动：libvulkan.so.1 及 GPU 厂商的 Vulkan ICD）',
    );
    assert.equal(
      fallbackReason('partial: 3 of 10 nodes ran on cuda (Conv, Relu)', 'zh'),
      '部分运行：10 个节点中有 3 个在 cuda 上运行（Conv, Relu）',
    );
    assert.equal(fallbackReason('something else', 'zh'), 'something else');
    assert.equal(cellText(`not available on this machine: ${cuda}`, 'zh'), `本机不可用：${fallbackReason(cuda, 'zh')}`);
    assert.equal(cellText('webgpu: not available on this machine (fell back to cpu)', 'zh'), 'webgpu：本机不可用（已回退到 cpu）');
    assert.equal(cellText(`not available on this machine: ${webgpu}`, 'zh'), `本机不可用：${fallbackReason(webgpu, 'zh')}`);
    assert.equal(fallbackReason({ zh: '甲', en: 'a' }, 'zh'), '甲');
  });

  it('units that are words read in the report language, symbols and dimensionless as they are', () => {
    assert.equal(unitLabel('queries', 'zh'), '次查询');
    assert.equal(unitLabel('queries', 'en'), 'queries');
    assert.equal(unitLabel('samples/s', 'zh'), '样本/秒');
    assert.equal(unitLabel('ms', 'zh'), 'ms');
    assert.equal(unitLabel('1', 'en'), '—');
  });
});
