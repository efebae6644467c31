import type zh from "../zh-CN/cross-domain";

/**
 * The few messages of the page-scoped domains (service projects, bids, contracts,
 * meetings: app/i18n/scoped/) that every page may show: their notifications (the
 * live toasts and /notifications), their menu entry and the links to them from
 * other pages. The rest of those domains is loaded only by their own pages.
 */
export default {
  // projects
  "nav.projects": "Projects",
  "project.list.link": "Service projects",
  "notification.projectEvaluate": "The bids for “{title}” are open: please declare your conflicts and score.",
  "notification.projectAwarded": "“{title}”, which you bid on, has been awarded; the award is under public notice.",
  // bids
  "notification.bidsOpened": "The bids for “{title}” have been opened; bidders and prices are public.",
  "notification.openerSetup": "You are on the opening committee of “{title}”: please make your opening key.",
  "notification.openerOpen": "Bidding for “{title}” has closed: as a member of the opening committee, please open the bids.",
  // contracts
  "notification.contractStarted": "The award of “{title}” is final: the contract has started.",
  "notification.milestonesAdjusted": "The milestones of “{title}” were adjusted: please have a look.",
  "notification.milestoneReported": "Milestone “{milestone}” of “{title}” was reported: please judge it.",
  "notification.milestoneJudged": "Milestone “{milestone}” of “{title}” has been judged.",
  "notification.milestonePaid": "Milestone “{milestone}” of “{title}”: {amount} yuan paid.",
  "notification.projectCompleted": "Every milestone of “{title}” has been judged: the project is completed.",
  // meetings
  "meeting.hallMeetings": "Meetings",
  "notification.meetingScheduled": "You are invited to the meeting “{title}” ({hall}) at {place}.",
  "notification.meetingCancelled": "The meeting “{title}” was cancelled: {reason}",
  "notification.meetingMinutes": "The minutes of the meeting “{title}” are published.",
} satisfies Record<keyof typeof zh, string>;
