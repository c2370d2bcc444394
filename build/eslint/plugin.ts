/** The project's own ESLint rules, registered as the plugin `local` in eslint.config.ts. */
import type { TSESLint } from '@typescript-eslint/utils';
import { disableReasonRule } from './disable-reason.js';
import { layeringRule } from './layering.js';

export const localPlugin: TSESLint.FlatConfig.Plugin = {
  meta: { name: 'local' },
  rules: { layering: layeringRule, 'disable-reason': disableReasonRule },
};
