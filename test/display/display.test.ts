import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';
import { displayHtml, displayJson, displayMarkdown, displayPng, displaySvg, markdownBundle } from '../../src/display/basic.js';
import { displayPlot, plotBundle, plotlyInlined, resetPlotlyInline, setInteractivePlots } from '../../src/display/plot.js';
import { displayTable, formatCell, tableBundle } from '../../src/display/table.js';
import { escapeHtml, updateDisplay } from '../../src/display/emit.js';
import { lineChart } from '../../src/figures/charts.js';
import { installBrowserShims, plotlyBundlePath } from '../../src/figures/window.js';
import { installKernelHook, type DisplayContent } from '../../src/kernel/runtime.js';
import { InputError } from '../../src/util/errors.js';

interface Captured {
  content: DisplayContent;
  update: boolean;
}

/** Installs a fake kernel channel the way the kernel does, capturing what is published. */
function fakeKernel(): { messages: Captured[]; uninstall(): void } {
  const messages: Captured[] = [];
  installKernelHook({ version: 1, display: (content, update) => messages.push({ content, update }), clear: () => undefined });
  return { messages, uninstall: () => installKernelHook(undefined) };
}

/** Captures what is written to stdout while `fn` runs. */
async function stdoutOf(fn: () => unknown): Promise<string> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  (process.stdout as { write: unknown }).write = (chunk: string | Uint8Array): boolean => {
    out += String(chunk);
    return true;
  };
  try {
    await fn();
  } finally {
    (process.stdout as { write: unknown }).write = orig;
  }
  return out;
}

// A 2×1 RGBA PNG made by pngjs.
function tinyPng(): Buffer {
  const { PNG } = require('pngjs') as { PNG: { new (o: object): { data: Buffer }; sync: { write(p: unknown): Buffer } } };
  const p = new PNG({ width: 2, height: 1 });
  p.data.fill(200);
  return PNG.sync.write(p);
}

const fig = lineChart({
  x: [1, 2, 3],
  series: [{ name: 'acc', y: [0.7, 0.8, 0.9] }],
  xTitle: 'epoch',
  yTitle: 'accuracy',
  title: 'Training 训练',
});

describe('display', function () {
  this.timeout(60000);

  describe('plots', () => {
    let k: ReturnType<typeof fakeKernel>;
    beforeEach(() => {
      resetPlotlyInline();
      k = fakeKernel();
    });
    afterEach(() => k.uninstall());

    it('one display_data: plotly JSON, SVG, PNG (the same figure rasterised) and a text/plain caption; no HTML by default', async () => {
      await displayPlot(fig);
      assert.equal(k.messages.length, 1);
      const d = k.messages[0].content.data;
      assert.deepEqual(Object.keys(d).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'image/svg+xml', 'text/plain']);
      assert.equal(d['text/plain'], '[plotly figure: Training 训练, 1 trace(s), 720×440]');
      const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };
      const png = PNG.sync.read(Buffer.from(d['image/png'] as string, 'base64'));
      assert.deepEqual([png.width, png.height], [720, 440]);
      let dark = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 128 && png.data[i + 3] > 0) dark++;
      assert.ok(dark > 500, `the PNG shows axes and text (${dark} dark pixels)`);
      assert.ok(Buffer.from(d['image/png'] as string, 'base64').length < 60000, 'PNG stays small');
      assert.equal(plotlyInlined(), false);
    });

    it('interactive plots (setInteractivePlots): text/html with the SVG inside; plotly.js inlined in the first of two only', async () => {
      setInteractivePlots(true);
      try {
        await displayPlot(fig);
        await displayPlot(fig, { width: 500, height: 300 });
      } finally {
        setInteractivePlots(false);
      }
      assert.equal(k.messages.length, 2);
      for (const m of k.messages) {
        assert.deepEqual(Object.keys(m.content.data).sort(), [
          'application/vnd.plotly.v1+json',
          'image/png',
          'image/svg+xml',
          'text/html',
          'text/plain',
        ]);
        assert.equal(m.update, false);
        const html = m.content.data['text/html'] as string;
        assert.ok(!/<script[^>]*\ssrc=/i.test(html), 'no external script');
        assert.ok(!/cdn\.plot\.ly|https?:\/\/cdn/i.test(html.replace(/\/\*[\s\S]*?\*\//g, '').slice(-20000)), 'no CDN');
        assert.match(html, /window\.Plotly\.newPlot/);
        assert.match(
          html,
          /<div id="ptmc-plot-[^"]+" class="ptmc-plot"[^>]*><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
          'SVG fallback inside the div',
        );
      }
      const lib = readFileSync(plotlyBundlePath(), 'utf8');
      const [first, second] = k.messages.map((m) => m.content.data['text/html'] as string);
      assert.ok(first.includes(lib.slice(0, 2000)) && first.includes(lib.slice(-2000)), 'first plot inlines plotly.js');
      assert.ok(first.length > lib.length);
      assert.ok(!second.includes('plotly.js v4'), 'second plot reuses window.Plotly');
      assert.ok(second.length < 100000);
      assert.ok(plotlyInlined());
      const json = k.messages[0].content.data['application/vnd.plotly.v1+json'] as { data: unknown[]; layout: { title: { text: string } } };
      assert.deepEqual(json.data, fig.data);
      assert.equal(json.layout.title.text, 'Training 训练');
      assert.match(k.messages[1].content.data['image/svg+xml'] as string, /width="500" height="300"/);
    });

    it('without await: the plot is handed to the kernel (track), which waits for it before the reply', async () => {
      k.uninstall();
      const messages: Captured[] = [];
      const pending: Promise<unknown>[] = [];
      installKernelHook({
        version: 1,
        display: (content, update) => messages.push({ content, update }),
        clear: () => undefined,
        track: (p) => pending.push(p),
      });
      void displayPlot(fig);
      assert.equal(messages.length, 0, 'not yet rendered');
      assert.equal(pending.length, 1);
      await Promise.all(pending);
      assert.equal(messages.length, 1);
      assert.ok('image/png' in messages[0].content.data);
    });

    it('displayId and update replace a plot (update_display_data)', async () => {
      await displayPlot(fig, { displayId: 'curve' });
      await displayPlot(fig, { displayId: 'curve', update: true });
      updateDisplay('curve', markdownBundle('done'));
      assert.deepEqual(
        k.messages.map((m) => [m.content.transient.display_id, m.update]),
        [
          ['curve', false],
          ['curve', true],
          ['curve', true],
        ],
      );
      assert.deepEqual(k.messages[2].content.data, { 'text/markdown': 'done', 'text/plain': 'done' });
    });

    it('the HTML works offline: run in a page (jsdom), both plots become interactive plotly graphs', async () => {
      const first = await plotBundle(fig, { interactive: true, includeLibrary: true });
      const second = await plotBundle(fig, { interactive: true, includeLibrary: false });
      const errors: string[] = [];
      const vc = new VirtualConsole();
      vc.on('jsdomError', (e: Error) => errors.push(e.message));
      // The later plot comes first in the page: it must wait for the library the other one inlines.
      const dom = new JSDOM(`<!DOCTYPE html><html><body>${second['text/html']}${first['text/html']}</body></html>`, {
        runScripts: 'dangerously',
        pretendToBeVisual: true,
        virtualConsole: vc,
        beforeParse: (w) => installBrowserShims(w as unknown as Window & typeof globalThis),
      });
      try {
        const divs = (): Element[] => Array.from(dom.window.document.querySelectorAll('div.ptmc-plot'));
        for (let i = 0; i < 100 && !divs().every((d) => d.classList.contains('js-plotly-plot')); i++)
          await new Promise((r) => setTimeout(r, 100));
        assert.equal(divs().length, 2);
        assert.deepEqual(
          divs().map((d) => d.classList.contains('js-plotly-plot')),
          [true, true],
        );
        assert.deepEqual(errors, []);
      } finally {
        dom.window.close();
      }
    });

    it('outside the kernel a plot prints a one-line summary and plotly.js stays un-inlined', async () => {
      k.uninstall();
      const out = await stdoutOf(() => displayPlot(fig));
      assert.equal(out, '[plotly figure: Training 训练, 1 trace(s), 720×440]\n');
      assert.equal(plotlyInlined(), false);
    });
  });

  describe('tables', () => {
    const rows = [
      { model: '<script>alert(1)</script>', acc: 0.912345678 },
      { model: 'b & c', acc: 1, extra: null },
    ];

    it('row objects: escaped HTML, union of columns, aligned text/plain', () => {
      const b = tableBundle(rows, { caption: 'Results <b>结果</b>' });
      const html = b['text/html'] as string;
      assert.ok(!html.includes('<script>'), 'the cell script is escaped');
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(html.includes('<caption>Results &lt;b&gt;结果&lt;/b&gt;</caption>'));
      assert.ok(html.includes('<th>model</th><th>acc</th><th>extra</th>'));
      assert.ok(html.includes('<td>b &amp; c</td><td>1</td><td></td>'));
      assert.equal(
        b['text/plain'],
        [
          'Results <b>结果</b>',
          '                    model       acc  extra',
          '<script>alert(1)</script>  0.912346',
          '                    b & c         1',
        ].join('\n'),
      );
    });

    it('a danfojs DataFrame: index column, escaped cells, maxRows with an ellipsis row and a size note', async () => {
      const dfd = require('danfojs-node') as { DataFrame: new (rows: object[]) => unknown };
      const df = new dfd.DataFrame(Array.from({ length: 10 }, (_, i) => ({ id: i, name: i === 9 ? '<script>x</script>' : `n${i}` })));
      const k = fakeKernel();
      try {
        displayTable(df as never, { maxRows: 4, caption: 'df' });
      } finally {
        k.uninstall();
      }
      const html = k.messages[0].content.data['text/html'] as string;
      assert.equal((html.match(/<tr><th>/g) ?? []).length, 4, 'four data rows');
      assert.ok(html.includes('<tr><th>0</th><td>0</td><td>n0</td></tr>'));
      assert.ok(html.includes('<tr><th>9</th><td>9</td><td>&lt;script&gt;x&lt;/script&gt;</td></tr>'));
      assert.ok(!html.includes('<script>'));
      assert.ok(html.includes('colspan="3"'));
      assert.ok(html.includes('10 rows × 2 columns'));
      assert.match(k.messages[0].content.data['text/plain'] as string, /\[10 rows × 2 columns · 10 行 × 2 列\]$/);
    });

    it('rejects other inputs; formats cells', () => {
      assert.throws(() => tableBundle(42 as never), InputError);
      assert.equal(formatCell(0.123456789, 4), '0.1235');
      assert.equal(formatCell(NaN), '');
      assert.equal(formatCell({ a: 1 }), '{"a":1}');
      assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    });
  });

  describe('other MIME types', () => {
    it('HTML, Markdown, SVG, PNG and JSON bundles through the kernel channel', () => {
      const k = fakeKernel();
      try {
        displayHtml('<b>pass</b> 通过');
        displayMarkdown('# 6.3.6');
        displaySvg('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>');
        displayPng(tinyPng());
        displayJson({ a: [1, 2] }, { displayId: 'j' });
      } finally {
        k.uninstall();
      }
      const d = k.messages.map((m) => m.content.data);
      assert.deepEqual(d[0], { 'text/html': '<b>pass</b> 通过', 'text/plain': 'pass 通过' });
      assert.deepEqual(d[1], { 'text/markdown': '# 6.3.6', 'text/plain': '# 6.3.6' });
      assert.equal(d[2]['text/plain'], '[SVG image 4×3]');
      assert.equal(d[3]['image/png'], tinyPng().toString('base64'));
      assert.deepEqual(k.messages[3].content.metadata, { 'image/png': { width: 2, height: 1 } });
      assert.deepEqual(d[4]['application/json'], { a: [1, 2] });
      assert.equal(k.messages[4].content.transient.display_id, 'j');
    });

    it('outside the kernel prints text/plain; rejects non-PNG and non-SVG data', async () => {
      assert.equal(await stdoutOf(() => displayHtml('<p>a</p><p>b</p>')), 'a\nb\n');
      assert.equal(await stdoutOf(() => displayJson([1])), '[\n  1\n]\n');
      assert.throws(() => displayPng(Buffer.from('not a png at all, not at all')), InputError);
      assert.throws(() => displayPng('/nonexistent/x.png'), InputError);
      assert.throws(() => displaySvg('<div/>'), InputError);
    });
  });
});
