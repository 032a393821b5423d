import { policies } from '../policy.ts';
import {
  FormVersionInput,
  getQualityForm,
  listQualityForms,
  PreviewInput,
  previewQualityForm,
  SaveFormInput,
  saveQualityForm,
} from '../services/quality-forms.ts';
import { authorized, router } from '../trpc.ts';
import { FormList, FormPreview, FormSaved, FormVersion } from '../outputs/quality.ts';

export const qualityFormsRouter = router({
  /** Each form's latest version, how many versions it has and whether evaluations use it. */
  list: authorized(policies.quality)
    .output(FormList)
    .query(({ ctx }) => listQualityForms(ctx.services, ctx.access)),

  /** One version (the latest unless given) with its definition and the key's version history. */
  get: authorized(policies.quality)
    .input(FormVersionInput)
    .output(FormVersion)
    .query(({ ctx, input }) => getQualityForm(ctx.services, ctx.access, input)),

  /** Checks the form as a whole and saves it as the key's next version; refused with every problem. */
  save: authorized(policies.quality)
    .input(SaveFormInput)
    .output(FormSaved)
    .mutation(({ ctx, input }) => saveQualityForm(ctx.services, ctx.access, ctx.viewer.userId, input)),

  /** Scores a pasted transcript with a form not saved yet. A mutation only so the form and transcript travel as a body. */
  preview: authorized(policies.quality)
    .input(PreviewInput)
    .output(FormPreview)
    .mutation(({ input }) => previewQualityForm(input)),
});
