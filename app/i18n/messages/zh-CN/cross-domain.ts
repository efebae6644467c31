/**
 * The few messages of the page-scoped domains (service projects, bids, contracts,
 * meetings: app/i18n/scoped/) that every page may show: their notifications (the
 * live toasts and /notifications), their menu entry and the links to them from
 * other pages. The rest of those domains is loaded only by their own pages.
 */
export default {
  // projects
  "nav.projects": "服务项目",
  "project.list.link": "购买服务项目",
  "notification.projectEvaluate": "“{title}”已开标，请您声明利益冲突并评分。",
  "notification.projectAwarded": "您投标的“{title}”已确定中标结果，正在公示。",
  // bids
  "notification.bidsOpened": "项目“{title}”已开标，投标机构和报价已公开。",
  "notification.openerSetup": "您被列入项目“{title}”的开标小组，请生成您的开标密钥。",
  "notification.openerOpen": "项目“{title}”投标已截止，请作为开标小组成员开标。",
  // contracts
  "notification.contractStarted": "“{title}”的中标结果已生效，合同开始履行。",
  "notification.milestonesAdjusted": "“{title}”的履约节点有调整，请查看。",
  "notification.milestoneReported": "“{title}”的节点“{milestone}”已报告，请您验收。",
  "notification.milestoneJudged": "“{title}”的节点“{milestone}”已验收。",
  "notification.milestonePaid": "“{title}”的节点“{milestone}”已付款 {amount} 元。",
  "notification.projectCompleted": "“{title}”的所有节点已验收，项目完成。",
  // meetings
  "meeting.hallMeetings": "议事会",
  "notification.meetingScheduled": "您受邀参加议事会“{title}”（{hall}），地点：{place}。",
  "notification.meetingCancelled": "议事会“{title}”取消了：{reason}",
  "notification.meetingMinutes": "议事会“{title}”的纪要已公开。",
};
