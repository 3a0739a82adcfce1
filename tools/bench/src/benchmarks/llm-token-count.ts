import { performance } from 'node:perf_hooks';
import { countTextTokens, loadTokenizer } from '@kit/llm';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer';
import { get_encoding } from 'tiktoken';
import { englishCorpus } from '../corpus/english-corpus.js';
import { median, type Benchmark, type BenchmarkResult } from '../harness.js';

function timeMs(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/**
 * `llm.token-count`: 1 MB of English with Kit's o200k_base counter against gpt-tokenizer's
 * `encode` (o200k_base as well) on the same text, alternating; both counts must equal tiktoken's
 * `encode_ordinary`, the reference, or the benchmark fails.
 *
 * `llm.token-count-pathological`: 100,000 characters with no whitespace, against tiktoken on
 * 1,000 of them (tiktoken on all 100,000 takes about 8 s, which is the point of the bound).
 */
export const tokenCountBenchmark: Benchmark = {
  name: 'llm.token-count',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const text = englishCorpus(1_000_000);
    const tokenizer = await loadTokenizer('o200k_base');
    const reference = get_encoding('o200k_base');
    try {
      const expected = reference.encode_ordinary(text).length;

      // First calls, each tokenizer cold (our piece cache and gpt-tokenizer's merge cache empty).
      let kitCount = 0;
      let gptCount = 0;
      const kitFirstMs = timeMs(() => (kitCount = tokenizer.countText(text).tokens));
      const gptFirstMs = timeMs(() => (gptCount = gptTokenizerEncode(text).length));
      if (kitCount !== expected) throw new Error(`Kit counted ${kitCount} tokens, tiktoken ${expected}`);
      if (gptCount !== expected) throw new Error(`gpt-tokenizer counted ${gptCount} tokens, tiktoken ${expected}`);
      const viaPublicApi = await countTextTokens(text, { encoding: 'o200k_base' });
      if (viaPublicApi.tokens !== expected || !viaPublicApi.exact) throw new Error('countTextTokens disagrees with tiktoken');

      const rounds = quick ? 5 : 15;
      const kit: number[] = [];
      const gpt: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < rounds; i++) {
        // Alternate who goes first, so drift in machine load hits both alike.
        let k: number;
        let g: number;
        if (i % 2 === 0) {
          k = timeMs(() => tokenizer.countText(text));
          g = timeMs(() => gptTokenizerEncode(text));
        } else {
          g = timeMs(() => gptTokenizerEncode(text));
          k = timeMs(() => tokenizer.countText(text));
        }
        kit.push(k);
        gpt.push(g);
        ratios.push(k / g);
      }
      const ratio = median(ratios);
      const results: BenchmarkResult[] = [
        {
          name: 'llm.token-count',
          value: median(kit),
          unit: 'ms',
          baseline: median(gpt),
          ratio,
          budget: 'ratio <= 1.2',
          pass: ratio <= 1.2,
          note:
            `${expected} tokens in 1 MB of npm README text, equal to tiktoken; median of ${rounds} alternating rounds, ` +
            `baseline gpt-tokenizer encode (o200k_base); first call cold: Kit ${kitFirstMs.toFixed(0)} ms, gpt-tokenizer ${gptFirstMs.toFixed(0)} ms`,
        },
      ];

      const pathological = 'a'.repeat(100_000);
      const sample = pathological.slice(0, 1_000);
      const runs = quick ? 5 : 15;
      const ours: number[] = [];
      const tiktokenSample: number[] = [];
      for (let i = 0; i < runs; i++) {
        // A fresh variant each run (the letter changes), so no run is a repeat of the last.
        const letter = String.fromCharCode(97 + (i % 26));
        const input = letter.repeat(100_000);
        ours.push(timeMs(() => tokenizer.countText(input)));
        tiktokenSample.push(timeMs(() => reference.encode_ordinary(input.slice(0, 1_000))));
      }
      const count = tokenizer.countText(pathological);
      if (count.exact || count.note === undefined) throw new Error('a pathological count must be marked as an estimate');
      const truth = reference.encode_ordinary(sample).length * 100;
      const value = median(ours);
      const baseline = median(tiktokenSample);
      results.push({
        name: 'llm.token-count-pathological',
        value,
        unit: 'ms',
        baseline,
        ratio: value / baseline,
        budget: '< 200 ms',
        pass: value < 200,
        note:
          `'a' x 100,000 (a different letter each run); counted ${count.tokens} tokens, marked exact: false; ` +
          `baseline tiktoken on the first 1,000 characters (whole input ≈ 8 s); ~${truth} by extrapolation`,
      });
      return results;
    } finally {
      reference.free();
    }
  },
};
