// The live page of `lab-cli run … --ui`: draws the events that the job pushes to /events.
// Events (JSON): {type:"job"} first, {type:"source"} once the job knows what it reads, then
// {type:"report"} and {type:"batch"} as they come,
// {type:"end"} when the job has stopped. A reconnect starts again from a "job" event, which
// resets the page: the server sends its history first.
'use strict';

(() => {
  const MAX_POINTS = 3600;
  const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df'];
  const integer = new Intl.NumberFormat('en-US');
  const $ = (id) => document.getElementById(id);

  /**
   * A number for reading: integers grouped, others to 10 significant digits (the printed tuple,
   * under the charts, has them all); '–' for none.
   */
  function show(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    if (typeof value === 'string') return value; // "Infinity"
    if (Number.isInteger(value)) return integer.format(value);
    return String(parseFloat(value.toPrecision(10)));
  }

  function setText(id, value) {
    $(id).textContent = show(value);
  }

  /** One uPlot chart over time, its points kept to MAX_POINTS, redrawn once per frame. */
  class Chart {
    constructor(id, series, options = {}) {
      this.element = $(id);
      this.data = [[], ...series.map(() => [])];
      // Bars side by side: one series centred, two on either side of their time.
      options = { counts: options.bars, ...options };
      const barred = series.filter((s) => !s.line).length;
      const bars = (i) =>
        uPlot.paths.bars({
          size: [barred > 1 ? 0.4 : 0.7, 24],
          align: barred > 1 ? (i === 0 ? -1 : 1) : 0,
        });
      this.plot = new uPlot(
        {
          width: Math.max(300, this.element.clientWidth),
          height: 220,
          scales: {
            x: { time: true },
            // Counts and times from zero, so that a bar's height is its value.
            y: options.counts
              ? { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] }
              : {},
          },
          axes: [{ space: 70 }, { size: 64 }],
          cursor: { drag: { x: false, y: false } },
          series: [
            {},
            ...series.map((s, i) => ({
              label: s.label,
              stroke: s.color || COLORS[i],
              width: 2,
              dash: s.dash,
              fill: options.bars && !s.line ? (s.color || COLORS[i]) + '55' : undefined,
              paths: options.bars && !s.line ? bars(i) : undefined,
              points: { show: false },
              value: (u, v) => show(v),
            })),
          ],
        },
        this.data,
        this.element,
      );
      new ResizeObserver(() => {
        this.plot.setSize({ width: Math.max(300, this.element.clientWidth), height: 220 });
      }).observe(this.element);
    }

    /** Adds the point of time {@code millis}; values in the order of the series. */
    push(millis, ...values) {
      this.data[0].push(millis / 1000);
      values.forEach((v, i) => this.data[i + 1].push(v === undefined ? null : v));
      if (this.data[0].length > MAX_POINTS) this.data.forEach((column) => column.shift());
      scheduleDraw();
    }

    clear() {
      this.data.forEach((column) => (column.length = 0));
      scheduleDraw();
    }

    draw() {
      this.plot.setData(this.data);
    }
  }

  const charts = [];
  let drawPending = false;

  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      charts.forEach((c) => c.draw());
    });
  }

  function chart(id, series, options) {
    const c = new Chart(id, series, options);
    charts.push(c);
    return c;
  }

  // What each job's view does with a report's JSON (the object --format json prints).
  const VIEWS = {
    variance: {
      section: 'view-variance',
      start() {
        this.n = chart('chart-n', [{ label: 'n' }], { counts: true });
        this.mean = chart('chart-mean', [{ label: 'mean' }, { label: 'standard deviation' }]);
        this.var = chart('chart-var', [{ label: 'variance', color: COLORS[4] }]);
        this.lag = chart('chart-lag', [{ label: 'records behind' }, { label: 'held back' }], {
          counts: true,
        });
      },
      report(r, time) {
        const stats = statistics(r);
        setText('n', r.n);
        setText('mean', stats.mean);
        setText('var', r.var);
        setText('stddev', stats.stddev);
        setText('rejected', r.rejected);
        setText('empty-records', r.empty_records);
        setText('lost-records', r.lost_records || 0);
        $('lost-card').hidden = !r.lost_records;
        if (r.window) {
          const w = statistics(r.window);
          setText('window-n', r.window.n);
          setText('window-mean', w.mean);
          setText('window-var', r.window.var);
          setText('window-stddev', w.stddev);
          setText('window-rejected', r.window.rejected);
          setText('window-empty-records', r.window.empty_records);
        }
        if (r.lag) {
          $('lag').hidden = false;
          $('lag-partitions').replaceChildren(
            ...r.lag.partitions.map((p) => {
              const row = document.createElement('tr');
              for (const value of [
                p.partition,
                p.next_offset,
                p.last_stable_offset,
                p.log_end_offset,
                p.records_behind,
                p.held_back,
              ]) {
                const cell = document.createElement('td');
                cell.textContent = typeof value === 'number' ? integer.format(value) : value;
                row.append(cell);
              }
              return row;
            }),
          );
        }
        if (!r.final) {
          if (r.lag) this.lag.push(time, r.lag.records_behind, r.lag.held_back);
          this.n.push(time, r.n);
          this.mean.push(time, stats.mean, stats.stddev);
          this.var.push(time, typeof r.var === 'number' ? r.var : null);
        }
      },
    },
    'window-count': {
      section: 'view-window-count',
      start() {
        this.window = chart('chart-window', [{ label: 'lines' }, { label: 'venues' }], {
          counts: true,
        });
        this.batches = chart('chart-window-batches', [{ label: 'lines' }, { label: 'venues' }], {
          bars: true,
        });
        this.reset();
      },
      reset() {
        this.lastBatch = -Infinity; // the batches drawn so far
      },
      report(r, time) {
        setText('window-lines', r.window.lines);
        setText('window-venues', r.window.venues);
        setText('batch-lines', r.batch.lines);
        setText('batch-venues', r.batch.venues);
        const parts = r.window_batches.map((b) => b.lines);
        $('window-sum').textContent =
          integer.format(r.window.lines) +
          ' lines' +
          (parts.length > 1 ? ' = ' + parts.map((p) => integer.format(p)).join(' + ') : '');
        this.window.push(time, r.window.lines, r.window.venues);
        for (const b of r.window_batches) {
          const at = Date.parse(b.time);
          if (at > this.lastBatch) {
            this.batches.push(at, b.lines, b.venues);
            this.lastBatch = at;
          }
        }
      },
    },
    'word-count': {
      section: 'view-word-count',
      start() {
        this.words = chart('chart-words', [{ label: 'words' }, { label: 'distinct' }], {
          counts: true,
        });
      },
      report(r, time) {
        setText('words', r.words);
        setText('distinct', r.distinct);
        const most = Math.max(1, ...r.top.map((t) => t.count));
        const list = $('top-words');
        list.replaceChildren(
          ...r.top.map((t) => {
            const item = document.createElement('li');
            const word = document.createElement('span');
            word.className = 'word';
            word.textContent = t.word;
            const bar = document.createElement('span');
            bar.className = 'bar';
            bar.style.width = (60 * t.count) / most + '%';
            const count = document.createElement('span');
            count.className = 'count';
            count.textContent = integer.format(t.count);
            item.append(word, bar, count);
            return item;
          }),
        );
        this.words.push(time, r.words, r.distinct);
      },
    },
    venues: {
      section: 'view-venues',
      start() {
        this.batches = chart(
          'chart-venues',
          [{ label: 'RSVPs' }, { label: 'with a venue' }, { label: 'skipped' }],
          { counts: true },
        );
      },
      report(r, time) {
        setText('rsvps', r.total.rsvps);
        setText('with-venue', r.total.with_venue);
        setText('skipped', r.total.skipped);
        this.batches.push(time, r.rsvps, r.with_venue, r.skipped);
      },
    },
    lines: {
      section: 'view-lines',
      start() {
        this.lines = chart('chart-lines', [{ label: 'lines' }], { bars: true });
      },
      report(r, time) {
        setText('lines-total', r.total_lines);
        this.lines.push(time, r.lines.length);
      },
    },
  };
  VIEWS.uppercase = VIEWS.lines;
  VIEWS['long-words'] = VIEWS.lines;

  /** The mean and standard deviation of a report's n, sum_x and var. */
  function statistics(r) {
    const mean = r.n > 0 ? r.sum_x / r.n : null;
    const stddev = typeof r.var === 'number' ? Math.sqrt(r.var) : null;
    return { mean, stddev };
  }

  let view = null;
  let batchMs = 0;
  let updates = 0;
  let ended = false;
  let records = null;
  let timing = null;

  function setStatus(name) {
    const status = $('status');
    status.className = name;
    status.textContent = name;
  }

  function onJob(event) {
    if (view === null) {
      view = VIEWS[event.job];
      $('job').textContent = event.job;
      document.title = 'lab-cli run ' + event.job + ': live';
      batchMs = event.batch_ms;
      $('batch-interval').textContent = batchMs / 1000 + ' s';
      if (view) {
        $(view.section).hidden = false;
        view.start();
      }
      records = chart('chart-records', [{ label: 'records' }], { bars: true });
      timing = chart(
        'chart-timing',
        [
          { label: 'processing' },
          { label: 'batch interval', color: '#5b6775', dash: [6, 4], line: true },
          { label: 'scheduling delay', color: COLORS[1], line: true },
        ],
        { bars: true },
      );
    } else {
      charts.forEach((c) => c.clear()); // a reconnect: the history comes again
      if (view && view.reset) view.reset();
    }
    updates = 0;
  }

  function onSource(event) {
    $('source').textContent = event.source;
    $('records-caption').textContent = event.counts_records
      ? 'records read per batch'
      : 'records read per batch (Spark counts none for the files of a directory)';
  }

  function onReport(event) {
    updates += 1;
    $('updates').textContent = integer.format(updates);
    $('report-time').textContent = event.report.time;
    $('printed').textContent = event.text;
    if (view) view.report(event.report, event.time);
  }

  function onBatch(event) {
    records.push(event.time, event.records);
    timing.push(event.time, event.processing_ms, batchMs, event.scheduling_delay_ms);
  }

  const source = new EventSource('/events');
  source.onopen = () => setStatus('live');
  source.onerror = () => {
    if (!ended) setStatus('reconnecting');
  };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    switch (event.type) {
      case 'job':
        onJob(event);
        break;
      case 'source':
        onSource(event);
        break;
      case 'report':
        onReport(event);
        break;
      case 'batch':
        onBatch(event);
        break;
      case 'end':
        ended = true;
        source.close();
        setStatus('stopped');
        break;
      default:
        break;
    }
  };
})();
