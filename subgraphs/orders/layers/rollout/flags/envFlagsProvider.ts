import { TypedInMemoryProvider, type EvaluationContext } from '@openfeature/server-sdk';
import type { RolloutConfig, ShadowConfig } from '../../../config/layersConfig';
import { ORDERS_MODES, type OrdersMode } from '../../../config/ordersMode';
import { ROLLOUT_FLAGS, SHADOW_OFF, type RolloutFlagValues } from './rolloutFlagKeys';

/** What ORDERS_ROLLOUT_* / ORDERS_SHADOW_* say, as the flags' values (and their fallbacks). */
export function envFlagValues(
  baseMode: OrdersMode,
  rollout: Readonly<RolloutConfig> | null,
  shadow: Readonly<ShadowConfig> | null,
): RolloutFlagValues {
  return {
    killSwitch: false,
    rolloutMode: rollout?.mode ?? baseMode,
    rolloutShare: rollout?.basisPoints ?? 0,
    shadowMode: shadow?.mode ?? SHADOW_OFF,
    shadowSampleRate: shadow?.sampleRate ?? 0,
  };
}

const modeVariants = Object.fromEntries(ORDERS_MODES.map((m) => [m, m])) as Record<OrdersMode, OrdersMode>;

/**
 * The environment's rollout as OpenFeature flags, the same keys and the same rule as a flag file
 * (deploy/flags/orders-flags.json): `orders-history-mode` is the rollout mode when the owner's bucket
 * is below the share, else ORDERS_BACKEND. So a deployment moves from variables to a file without
 * anyone changing mode, and one code path serves both.
 */
export function envFlagsProvider(baseMode: OrdersMode, values: RolloutFlagValues): TypedInMemoryProvider {
  const historyMode = (ctx: EvaluationContext): OrdersMode => {
    const { rolloutBucket, rolloutShare, rolloutMode } = ctx;
    const moved =
      typeof rolloutBucket === 'number' && typeof rolloutShare === 'number' && rolloutBucket < rolloutShare;
    return moved && typeof rolloutMode === 'string' && rolloutMode in modeVariants
      ? (rolloutMode as OrdersMode)
      : baseMode;
  };
  return new TypedInMemoryProvider({
    [ROLLOUT_FLAGS.killSwitch]: {
      variants: { on: true, off: false },
      defaultVariant: values.killSwitch ? 'on' : 'off',
      disabled: false,
    },
    [ROLLOUT_FLAGS.rolloutMode]: {
      variants: modeVariants,
      defaultVariant: values.rolloutMode,
      disabled: false,
    },
    [ROLLOUT_FLAGS.rolloutShare]: {
      variants: { share: values.rolloutShare },
      defaultVariant: 'share',
      disabled: false,
    },
    [ROLLOUT_FLAGS.historyMode]: {
      variants: modeVariants,
      defaultVariant: baseMode,
      disabled: false,
      contextEvaluator: historyMode,
    },
    [ROLLOUT_FLAGS.shadowMode]: {
      variants: { ...modeVariants, [SHADOW_OFF]: SHADOW_OFF },
      defaultVariant: values.shadowMode,
      disabled: false,
    },
    [ROLLOUT_FLAGS.shadowSampleRate]: {
      variants: { rate: values.shadowSampleRate },
      defaultVariant: 'rate',
      disabled: false,
    },
  });
}
