/**
 * The search-quality tasks of `npm run bench:search`: what people ask an assistant to do with GitHub, in their words
 * (not the spec's summaries), and the operations of GitHub's REST API description (@octokit/openapi 23.0.2, by
 * operationId) that do it. A task is answered when any of its operations is among the hits.
 */
export interface SearchTask {
  ask: string;
  answers: readonly string[];
}

export const SEARCH_TASKS: readonly SearchTask[] = [
  // Issues
  { ask: "close an issue", answers: ["issues/update"] },
  { ask: "open a new bug report in my repo", answers: ["issues/create"] },
  { ask: "comment on issue 42", answers: ["issues/create-comment"] },
  { ask: "show me the open issues of a repository", answers: ["issues/list-for-repo"] },
  { ask: "tag an issue with the bug label", answers: ["issues/add-labels", "issues/set-labels"] },
  { ask: "take the wontfix label off an issue", answers: ["issues/remove-label"] },
  { ask: "assign this issue to octocat", answers: ["issues/add-assignees"] },
  { ask: "lock the conversation on an issue", answers: ["issues/lock"] },
  { ask: "read all the comments on an issue", answers: ["issues/list-comments"] },
  { ask: "create a milestone for the next release", answers: ["issues/create-milestone"] },
  { ask: "add a new label to the repo", answers: ["issues/create-label"] },
  { ask: "react with a thumbs up to an issue", answers: ["reactions/create-for-issue"] },
  // Pull requests
  { ask: "open a pull request from my feature branch", answers: ["pulls/create"] },
  { ask: "merge a pull request", answers: ["pulls/merge"] },
  { ask: "which files changed in this PR", answers: ["pulls/list-files"] },
  { ask: "ask alice to review my pull request", answers: ["pulls/request-reviewers"] },
  { ask: "approve a pull request", answers: ["pulls/create-review"] },
  { ask: "list open pull requests", answers: ["pulls/list"] },
  { ask: "change the title of a pull request", answers: ["pulls/update"] },
  // Actions
  { ask: "list the workflow runs of a repository", answers: ["actions/list-workflow-runs-for-repo", "actions/list-workflow-runs"] },
  { ask: "rerun a failed workflow", answers: ["actions/re-run-workflow", "actions/re-run-workflow-failed-jobs"] },
  { ask: "cancel a running workflow", answers: ["actions/cancel-workflow-run", "actions/force-cancel-workflow-run"] },
  { ask: "trigger a workflow manually", answers: ["actions/create-workflow-dispatch"] },
  { ask: "download the logs of a workflow run", answers: ["actions/download-workflow-run-logs"] },
  { ask: "set a repository secret for actions", answers: ["actions/create-or-update-repo-secret"] },
  { ask: "what jobs ran in this workflow run", answers: ["actions/list-jobs-for-workflow-run", "actions/list-jobs-for-workflow-run-attempt"] },
  // Repositories and contents
  { ask: "create a new repository", answers: ["repos/create-for-authenticated-user", "repos/create-in-org"] },
  { ask: "list my repositories", answers: ["repos/list-for-authenticated-user"] },
  { ask: "fork a repo", answers: ["repos/create-fork"] },
  { ask: "delete a repository", answers: ["repos/delete"] },
  { ask: "show all branches", answers: ["repos/list-branches"] },
  { ask: "protect the main branch", answers: ["repos/update-branch-protection"] },
  { ask: "publish a release", answers: ["repos/create-release"] },
  { ask: "what's the latest release", answers: ["repos/get-latest-release"] },
  { ask: "read a file from a repository", answers: ["repos/get-content"] },
  { ask: "commit a change to a file", answers: ["repos/create-or-update-file-contents"] },
  { ask: "recent commits on a branch", answers: ["repos/list-commits"] },
  { ask: "compare two branches", answers: ["repos/compare-commits-with-basehead", "repos/compare-commits"] },
  { ask: "give bob write access to a repository", answers: ["repos/add-collaborator"] },
  { ask: "add a webhook to a repository", answers: ["repos/create-webhook"] },
  { ask: "show the readme", answers: ["repos/get-readme"] },
  { ask: "who contributed to this project", answers: ["repos/list-contributors"] },
  { ask: "what languages is the repo written in", answers: ["repos/list-languages"] },
  { ask: "how many people viewed my repository", answers: ["repos/get-views"] },
  { ask: "make a new branch", answers: ["git/create-ref"] },
  { ask: "set the commit status to success", answers: ["repos/create-commit-status"] },
  // People, activity, search
  { ask: "star a repository", answers: ["activity/star-repo-for-authenticated-user"] },
  { ask: "show my notifications", answers: ["activity/list-notifications-for-authenticated-user"] },
  { ask: "mark all notifications as read", answers: ["activity/mark-notifications-as-read"] },
  { ask: "who am I signed in as", answers: ["users/get-authenticated"] },
  { ask: "look up a user's profile", answers: ["users/get-by-username"] },
  { ask: "follow a user", answers: ["users/follow"] },
  { ask: "create a gist", answers: ["gists/create"] },
  { ask: "search code for a function name", answers: ["search/code"] },
  { ask: "find repositories about machine learning", answers: ["search/repos"] },
  { ask: "members of my organization", answers: ["orgs/list-members"] },
  { ask: "add my SSH key", answers: ["users/create-public-ssh-key-for-authenticated-user"] },
  { ask: "how much of my API rate limit is left", answers: ["rate-limit/get"] },
  { ask: "list dependabot alerts for a repo", answers: ["dependabot/list-alerts-for-repo"] },
  { ask: "show code scanning alerts", answers: ["code-scanning/list-alerts-for-repo", "code-scanning/list-alerts-for-org"] },
];
