// The admin dashboard's background jobs panel: each job's interval, whether a node runs it now,
// and its last run (start, end, outcome, error kind, rows processed). Positions and counts only.

import { h, showError, describeError, fullTime } from './dom.js';
import { request } from './api.js';

const OUTCOMES = { RUNNING: 'Running', OK: 'Completed', FAILED: 'Failed', STOPPED: 'Stopped (resumes)' };

/** Lists GET /api/admin/jobs in a small table, refreshed on demand. */
export class JobsPanel {
  constructor() {
    this.body = h('tbody');
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.element = h('section', { class: 'panel admin-panel jobs-panel', testid: 'admin-jobs', 'aria-labelledby': 'admin-jobs-heading' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'admin-jobs-heading', text: 'Background jobs' }),
        h('button', { type: 'button', class: 'btn btn-quiet btn-small', text: 'Refresh', onclick: () => this.load() })),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'admin-jobs-heading' },
        h('table', { class: 'data-table jobs-table', testid: 'jobs-table' },
          h('thead', {}, h('tr', {},
            ['Job', 'Every', 'Last started', 'Last ended', 'Outcome', 'Processed'].map((t) => h('th', { scope: 'col', text: t })))),
          this.body)),
      this.status);
  }

  async load() {
    try {
      const reply = await request('GET', '/api/admin/jobs');
      const jobs = reply.jobs || [];
      this.body.replaceChildren(...jobs.map((job) => h('tr', { dataset: { job: job.name } },
        h('td', { text: job.name }),
        h('td', { text: every(job.intervalSeconds) }),
        h('td', { text: job.lastStartedAt ? fullTime(job.lastStartedAt) : 'never' }),
        h('td', { text: job.lastEndedAt ? fullTime(job.lastEndedAt) : '—' }),
        h('td', { testid: 'job-outcome', text: outcome(job) }),
        h('td', { text: String(job.processed) + (job.resumable ? ' (resumes)' : '') }))));
      this.status.textContent = jobs.length ? '' : 'No background job is turned on.';
    } catch (err) {
      showError(describeError(err, 'The background jobs could not be loaded.'));
    }
  }
}

function outcome(job) {
  if (job.running) {
    return 'Running';
  }
  const text = OUTCOMES[job.outcome] || 'Not run yet';
  return job.errorKind ? text + ' (' + job.errorKind.split('.').pop() + ')' : text;
}

function every(seconds) {
  if (seconds % 86400 === 0) return (seconds / 86400) + ' d';
  if (seconds % 3600 === 0) return (seconds / 3600) + ' h';
  if (seconds % 60 === 0) return (seconds / 60) + ' min';
  return seconds + ' s';
}
