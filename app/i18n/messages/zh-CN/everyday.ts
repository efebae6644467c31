/** Everyday use (issue 14): drafts, photos from phones, the staff workbench. */
export default {
  "common.cancel": "取消",
  "draft.edit": "修改草稿",
  "draft.back": "回到草稿",
  "draft.onlyYou": "这是草稿，只有你自己能看到。发布到「{hall}」之后，大家才能看到并附议。",
  "draft.save": "保存草稿",
  "draft.saveAndPublish": "保存并发布",
  "draft.banner": "这是你的草稿，只有你自己能看到。",
  "draft.publish": "发布，开始征集附议",
  "draft.delete": "删除草稿",
  "draft.deleteConfirm": "确定删除这份草稿吗？删除后无法恢复。",
  "draft.deleted": "草稿已删除。",
  "draft.mine": "我的草稿",
  "draft.savedAt": "保存于 {date}",
  "draft.none": "还没有草稿。写议题时选择“先存为草稿”，以后可以在这里接着写。",
  "draft.mustJoin": "加入议事厅之后才能发布。",
} as const;
