import type zh from "../zh-CN/everyday";

/** Everyday use (issue 14): drafts, photos from phones, the staff workbench. */
export default {
  "common.cancel": "Cancel",
  "draft.edit": "Edit draft",
  "draft.back": "Back to the draft",
  "draft.onlyYou": "This is a draft and only you can see it. Once you publish it to “{hall}”, everyone can read and second it.",
  "draft.save": "Save draft",
  "draft.saveAndPublish": "Save and publish",
  "draft.banner": "This is your draft; only you can see it.",
  "draft.publish": "Publish and start collecting seconds",
  "draft.delete": "Delete draft",
  "draft.deleteConfirm": "Delete this draft? This cannot be undone.",
  "draft.deleted": "Draft deleted.",
  "draft.mine": "My drafts",
  "draft.savedAt": "Saved {date}",
  "draft.none": "No drafts yet. Choose “Save as draft” when writing a proposal to finish it later here.",
  "draft.mustJoin": "Join the hall to publish it.",
  "error.413": "What you sent is too large. Photos may be up to 5 MB each, 4 at most; please choose smaller ones.",
  "photo.error.tooLarge": "The photos were too large and were not uploaded. Up to 5 MB each, 4 at most; everything you typed is still here, so choose smaller photos and send again.",
  "photo.error.decode": "This photo cannot be opened (it may be a phone's HEIC format). Choose a JPG photo, or take a screenshot of it and upload that.",
  "photo.wait": "The photos are still being prepared; please send again in a few seconds.",
  "photo.processing": "Shrinking the photos…",
  "photo.preview": "Preview of photo {n}",
  "photo.shrunk": "Original {before}, sending {after}",
} satisfies Record<keyof typeof zh, string>;
