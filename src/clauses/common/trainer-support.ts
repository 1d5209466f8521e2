/**
 * Whether the built-in trainer can train a case's model at all. Models it cannot build (weights only inside If
 * branches, recurrent layers, operators it does not implement) make 6.3.1, 6.3.2 (training throughput) and 6.3.3
 * inconclusive with the reason — the model is not wrong, the built-in trainer is limited; a provider's own
 * training command (6.3.1, `--allow-provider-commands`) is the way to evidence those claims.
 */
import { InputError, ModelError } from '../../util/errors.js';
import { Trainer, type TrainerOptions } from '../../training/trainer.js';
import type { Bilingual } from '../../results/types.js';

/** A trainer, or the reason the built-in trainer cannot train the model. */
export type TrainerOrReason = { trainer: Trainer; unsupported?: undefined } | { trainer?: undefined; unsupported: Bilingual };

/**
 * Creates the built-in trainer; a model it cannot build gives the reason instead of an error.
 * @example
 * const t = await tryCreateTrainer(opts); if (t.unsupported) return inconclusive(run, t.unsupported, {});
 */
export async function tryCreateTrainer(opts: TrainerOptions): Promise<TrainerOrReason> {
  try {
    return { trainer: await Trainer.create(opts) };
  } catch (e) {
    const unsupported = e instanceof ModelError || (e instanceof InputError && /has 0 weighted layers/.test(e.message));
    if (!unsupported) throw e;
    // the trainer's own message (operator, node) is quoted as it is in both languages
    const why = (e as Error).message;
    return {
      unsupported: {
        zh:
          `内置训练器无法训练该模型：${why}；请以提供方训练命令（case.json 的 training.command，` +
          'ptmc run --allow-provider-commands）为训练声称提供证据',
        en:
          `the built-in trainer cannot train this model: ${why}; evidence the training claims with the provider's ` +
          'training command (case.json training.command, ptmc run --allow-provider-commands)',
      },
    };
  }
}

/** The reason the built-in trainer cannot train the model with `opts`, or undefined when it can (probe, disposed). */
export async function trainerUnsupported(opts: TrainerOptions): Promise<Bilingual | undefined> {
  const made = await tryCreateTrainer(opts);
  await made.trainer?.dispose();
  return made.unsupported;
}
