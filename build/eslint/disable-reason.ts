/**
 * The ESLint rule `local/disable-reason`: a comment that turns a rule off (`eslint-disable`, `-line`, `-next-line`)
 * says why after ` -- `, so that a reader can judge whether the reason still holds.
 */
import type { TSESLint } from '@typescript-eslint/utils';

const DIRECTIVE = /^\s*eslint-disable(?:-next-line|-line)?(?:\s|$)/;
const REASON = /\s--\s*\S/;

export const disableReasonRule: TSESLint.RuleModule<'missing'> = {
  meta: {
    type: 'suggestion',
    docs: { description: 'every eslint-disable comment gives its reason after " -- "' },
    schema: [],
    messages: { missing: "local/disable-reason: say why the rule is turned off here, after ' -- '." },
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          if (DIRECTIVE.test(comment.value) && !REASON.test(comment.value)) context.report({ loc: comment.loc, messageId: 'missing' });
        }
      },
    };
  },
};
