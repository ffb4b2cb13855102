// Script of the fwlens console: time range, pivots, views from the console's API, language and theme.
// Every text from the store is put in the page with textContent (the server has already made control and
// bidi characters visible); no HTML is ever built from it.
(() => {
  const root = document.documentElement;
  const token = new URLSearchParams(location.search).get('token');
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const PAGE = 50;
  const TOP = ['src', 'port', 'rule', 'dst'];

  let meta;
  let lang = 'en';
  /** What the page shows: range preset, custom bounds, filter chips ("field:value", "!field:value"), page. */
  const state = { range: 'all', from: undefined, to: undefined, chips: [], offset: 0 };
  /** The last answers, so a language or theme switch redraws without asking again. */
  const last = {};
  let generation = 0;
  let chart;

  // ---- helpers -----------------------------------------------------------------------------------
  const fmt = (n) => Number(n).toLocaleString('en-US');
  const plural = new Intl.PluralRules('en');
  /** A count of a noun as the server words it (src/i18n.ts countOf): "1 event", "2 events", "2 条事件". */
  const count = (v, noun) => {
    const n = typeof v === 'number' ? v : Number(String(v).replace(/,/g, ''));
    if (!Number.isFinite(n)) return String(v);
    return lang === 'zh'
      ? `${fmt(n)} ${noun.zh}`
      : `${fmt(n)} ${plural.select(n) === 'one' ? noun.one : noun.other}`;
  };
  /** A page text with its {name} and {name:noun} placeholders filled. */
  const tr = (key, vars) => {
    const text = meta.words.ui[key];
    if (!text) return key;
    return text[lang].replace(/\{(\w+)(?::(\w+))?\}/g, (all, k, noun) => {
      if (!vars || !(k in vars)) return all;
      const words = noun === undefined ? undefined : meta.words.nouns[noun];
      return words ? count(vars[k], words) : String(vars[k]);
    });
  };
  const when = (ms) =>
    ms === undefined || ms === null
      ? '–'
      : new Date(ms)
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, '');
  const word = (kind, key) => (meta.words[kind][key] ? meta.words[kind][key][lang] : key);

  /** An element with attributes and children (strings become text nodes, never markup). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity))
      if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  async function api(path, params) {
    const r = await fetch(`/api/${path}?${params || ''}`, { headers });
    const body = await r.json();
    if (!r.ok) throw new Error(body.text?.[lang] || body.error || String(r.status));
    return body;
  }

  function viewParams() {
    const p = new URLSearchParams();
    if (state.from !== undefined) p.set('from', String(state.from));
    if (state.to !== undefined) p.set('to', String(state.to));
    for (const c of state.chips) p.append('f', c);
    return p;
  }

  function withToken(p) {
    const q = new URLSearchParams(p);
    if (token) q.set('token', token);
    return q;
  }

  // ---- state in the address bar, so a view can be reloaded and shared --------------------------
  function saveHash() {
    const p = viewParams();
    p.set('range', state.range);
    if (state.offset) p.set('offset', String(state.offset));
    history.replaceState(null, '', `${location.pathname}${location.search}#${p}`);
  }

  function loadHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    state.range = p.get('range') || 'all';
    state.from = p.has('from') ? Number(p.get('from')) : undefined;
    state.to = p.has('to') ? Number(p.get('to')) : undefined;
    state.chips = p.getAll('f');
    // A link may carry any offset: a whole page within the server's bound, or the first page.
    const offset = Number(p.get('offset') || 0);
    state.offset = Number.isInteger(offset) && offset >= 0 && offset <= meta.maxOffset ? offset : 0;
  }

  // ---- view changes --------------------------------------------------------------------------------
  function setRange(range) {
    state.range = range;
    state.offset = 0;
    const end = meta.span.last === undefined ? undefined : meta.span.last + 1;
    if (range === 'all' || end === undefined) {
      state.from = undefined;
      state.to = undefined;
    } else {
      state.from = end - meta.ranges[range];
      state.to = end;
    }
    refresh();
  }

  function pivot(chip) {
    const opposite = chip.startsWith('!') ? chip.slice(1) : `!${chip}`;
    state.chips = state.chips.filter((c) => c !== opposite && c !== chip).concat(chip);
    state.offset = 0;
    refresh();
  }

  function unpivot(chip) {
    state.chips = state.chips.filter((c) => c !== chip);
    state.offset = 0;
    refresh();
  }

  /** A value that pivots when clicked ("is"), with a ≠ button beside it ("is not"). */
  function pivotable(field, key, label) {
    return el(
      'span',
      { class: 'pv' },
      el('button', {
        type: 'button',
        class: 'pivot',
        'data-chip': `${field}:${key}`,
        text: label,
        onclick: (e) => {
          e.stopPropagation();
          pivot(`${field}:${key}`);
        },
      }),
      el('button', {
        type: 'button',
        class: 'not',
        'data-chip': `!${field}:${key}`,
        title: tr('exclude'),
        'aria-label': tr('exclude'),
        text: '≠',
        onclick: (e) => {
          e.stopPropagation();
          pivot(`!${field}:${key}`);
        },
      }),
    );
  }

  // ---- fetching ------------------------------------------------------------------------------------
  async function refresh() {
    saveHash();
    const mine = ++generation;
    const status = document.getElementById('status');
    status.textContent = tr('loading');
    status.classList.remove('err');
    const p = viewParams();
    const page = new URLSearchParams(p);
    page.set('offset', String(state.offset));
    page.set('limit', String(PAGE));
    try {
      const [timeline, events, findings, ...tops] = await Promise.all([
        api('timeline', p),
        api('events', page),
        api('findings', p),
        ...TOP.map((by) => {
          const q = new URLSearchParams(p);
          q.set('by', by);
          return api('top', q);
        }),
      ]);
      // The unparsed lines do not depend on the view: asked once.
      last.unparsed = last.unparsed || (await api('unparsed', new URLSearchParams({ limit: '50' })));
      if (mine !== generation) return;
      // The chips as the server read them (`src:::ffff:203.0.113.7` is src:203.0.113.7, an IPv6 address in its
      // canonical text): the × and the pivots then find them, and the address bar says what is shown.
      state.chips = [...new Set(timeline.chips.map((c) => c.key))];
      saveHash();
      Object.assign(last, { timeline, events, findings, tops });
      drawAll();
      status.textContent = '';
      document.body.dataset.ready = String(mine);
    } catch (e) {
      if (mine !== generation) return;
      status.textContent = tr('error', { error: e.message });
      status.classList.add('err');
      // The server refused the view (a chip from an edited or old link): the chips as the page holds them, each
      // removable, so the view can be mended (without them nothing was drawn and nothing could be removed).
      drawAskedChips();
      document.body.dataset.ready = String(mine);
    }
  }

  // ---- drawing -------------------------------------------------------------------------------------
  function drawAll() {
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = tr(e.dataset.t);
    document.title = `${tr('title')} – fwlens`;
    const s = meta.span;
    document.getElementById('stored').textContent = tr('stored', {
      events: fmt(s.events),
      findings: fmt(s.findings),
      unparsed: fmt(s.unparsed),
    });
    document.getElementById('range-note').textContent = tr('rangeNote', { last: `${when(s.last)} UTC` });
    document.getElementById('footer').textContent = tr('madeBy', { version: meta.version });
    document.getElementById('export-note').textContent = tr('exportNote', { max: fmt(meta.exportMax) });
    // The context's problems (sentences in both languages, quoting file names and list lines as visible text).
    const notices = document.getElementById('notices');
    notices.replaceChildren(...meta.notices.map((n) => el('li', { text: n[lang] })));
    notices.hidden = meta.notices.length === 0;
    for (const b of document.querySelectorAll('[data-range]'))
      b.setAttribute('aria-pressed', String(b.dataset.range === state.range));
    for (const [id, v] of [
      ['from', state.from],
      ['to', state.to],
    ])
      document.getElementById(id).value = v === undefined ? '' : new Date(v).toISOString().slice(0, 19);
    const ex = viewParams();
    for (const format of ['csv', 'ndjson']) {
      const q = withToken(ex);
      q.set('format', format);
      document.getElementById(`export-${format}`).href = `/api/export?${q}`;
    }
    if (!last.timeline) return;
    drawChips();
    drawTimeline();
    for (const [i, by] of TOP.entries()) drawTop(by, last.tops[i]);
    drawEvents();
    drawFindings();
    drawUnparsed();
  }

  /** The × of a chip: takes it out of the view. */
  function removeButton(chip) {
    return el('button', {
      type: 'button',
      class: 'x',
      title: tr('remove'),
      'aria-label': tr('remove'),
      text: '×',
      onclick: () => unpivot(chip),
    });
  }

  /** The chips of the view as written ("field:value", "!field:value"), when the server could not read them. */
  function drawAskedChips() {
    const box = document.getElementById('chips');
    box.replaceChildren();
    for (const c of state.chips)
      box.append(
        el('span', { class: 'chip chip-bad', 'data-chip': c }, el('code', { text: c }), removeButton(c)),
      );
  }

  function drawChips() {
    const box = document.getElementById('chips');
    box.replaceChildren();
    if (last.timeline.chips.length === 0)
      box.append(el('span', { class: 'muted small', text: tr('noFilters') }));
    for (const c of last.timeline.chips)
      box.append(
        el(
          'span',
          { class: `chip${c.not ? ' chip-not' : ''}`, 'data-chip': c.key },
          el('span', { class: 'muted', text: tr(`field.${c.field}`) }),
          ' ',
          el('b', { text: c.not ? tr('isNot') : tr('is') }),
          ' ',
          el('code', { text: c.value }),
          removeButton(c.key),
        ),
      );
  }

  const css = (name) => getComputedStyle(root).getPropertyValue(name).trim();

  function drawTimeline() {
    const tl = last.timeline;
    document.getElementById('in-view').textContent = tr('inView', { n: fmt(tl.events) });
    const box = document.getElementById('timeline');
    if (chart) chart.dispose();
    chart = undefined;
    box.replaceChildren();
    const actions = ['deny', 'reject', 'log', 'allow'].filter((a) => tl.series[a]);
    if (!window.echarts || actions.length === 0) {
      box.append(el('div', { class: 'empty', text: tr('noCharts') }));
      document.getElementById('timeline-note').textContent = '';
      return;
    }
    const n = tl.series[actions[0]].length;
    const label = (i) => {
      const iso = new Date(tl.start + i * tl.bucketMs).toISOString();
      return tl.bucketMs >= 86_400_000
        ? iso.slice(0, 10)
        : `${iso.slice(5, 10)} ${iso.slice(11, tl.bucketMs < 60_000 ? 19 : 16)}`;
    };
    const width =
      tl.bucketMs >= 86_400_000
        ? `${tl.bucketMs / 86_400_000} d`
        : tl.bucketMs >= 3_600_000
          ? `${tl.bucketMs / 3_600_000} h`
          : tl.bucketMs >= 60_000
            ? `${tl.bucketMs / 60_000} min`
            : `${tl.bucketMs / 1000} s`;
    document.getElementById('timeline-note').textContent = tr('chartTimelineNote', { width });
    const fg = css('--fg');
    const muted = css('--muted');
    const line = css('--line');
    chart = window.echarts.init(box, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      textStyle: { color: fg },
      legend: { top: 0, textStyle: { color: fg } },
      grid: { left: 8, right: 12, top: 34, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        backgroundColor: css('--panel'),
        borderColor: line,
        textStyle: { color: fg, fontSize: 12 },
        // Plain text: the series names are our own words and the values numbers, nothing from a log.
        formatter: (ps) =>
          [ps[0] ? ps[0].axisValueLabel : '', ...ps.map((x) => `${x.seriesName}: ${fmt(x.value)}`)].join(
            '<br>',
          ),
      },
      xAxis: {
        type: 'category',
        data: Array.from({ length: n }, (_, i) => label(i)),
        axisLabel: { color: muted, fontSize: 11 },
        axisLine: { lineStyle: { color: line } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: muted, fontSize: 11 },
        splitLine: { lineStyle: { color: line } },
      },
      series: actions.map((a) => ({
        type: 'bar',
        id: a,
        name: word('action', a),
        stack: 'events',
        data: tl.series[a],
        itemStyle: { color: css(`--act-${a}`) },
        large: n > 300,
      })),
    });
    // A click on a bar zooms into that bucket.
    chart.on('click', (e) => {
      state.range = 'custom';
      state.from = tl.start + e.dataIndex * tl.bucketMs;
      state.to = state.from + tl.bucketMs;
      state.offset = 0;
      refresh();
    });
  }

  function drawTop(by, rows) {
    const list = document.getElementById(`top-${by}`);
    list.replaceChildren();
    if (rows.length === 0) list.append(el('li', { class: 'muted', text: tr('noMatch') }));
    const max = Math.max(1, ...rows.map((r) => r.count));
    for (const r of rows) {
      const bar = el('span', { class: 'bar' });
      // CSSOM, not a style attribute: the CSP allows the first and refuses the second.
      bar.style.width = `${(100 * r.count) / max}%`;
      list.append(
        el(
          'li',
          {},
          pivotable(by, r.key, r.label),
          // Who the address is (owner, country, research scanner, your lists), as the report's top sources say.
          r.context ? el('span', { class: 'ctx', text: r.context[lang], title: r.context[lang] }) : null,
          el('span', { class: 'n', text: fmt(r.count) }),
          bar,
        ),
      );
    }
  }

  function drawEvents() {
    const table = document.getElementById('events-table');
    for (const b of [...table.tBodies]) b.remove();
    const rows = last.events;
    document.getElementById('events-none').hidden = rows.length > 0;
    for (const r of rows) {
      const group = el('tbody', { class: 'grp', 'data-input': r.input, 'data-line': r.line });
      const port =
        r.dstPort === undefined
          ? ''
          : pivotable(
              'port',
              r.transport ? `${r.dstPort}/${r.transport}` : String(r.dstPort),
              String(r.dstPort),
            );
      const main = el(
        'tr',
        { class: 'main' },
        el('td', { class: 'nowrap', text: when(r.time) }),
        el('td', { text: word('action', r.action) }),
        el('td', { text: r.transport || '' }),
        el(
          'td',
          { class: 'ip' },
          r.src ? pivotable('src', r.src, r.src) : '',
          r.srcPort === undefined ? '' : el('span', { class: 'muted', text: ` :${r.srcPort}` }),
        ),
        el('td', { class: 'ip' }, r.dst ? pivotable('dst', r.dst, r.dst) : ''),
        el('td', {}, port),
        el('td', {}, r.rule ? pivotable('rule', r.ruleKey, r.rule) : ''),
      );
      const detail = el('tr', { class: 'detail', hidden: true }, el('td', { colspan: 7 }));
      main.addEventListener('click', () => toggleEvent(group, r));
      group.append(main, detail);
      table.append(group);
    }
    const total = last.timeline.events;
    const to = Math.min(total, state.offset + rows.length);
    document.getElementById('page').textContent = tr('page', {
      from: fmt(rows.length ? state.offset + 1 : 0),
      to: fmt(to),
      total: fmt(total),
    });
    document.getElementById('newer').disabled = state.offset === 0;
    // The server pages no deeper than meta.maxOffset: where that, not the end, stops the pager, say so.
    const capped = to < total && state.offset + PAGE > meta.maxOffset;
    document.getElementById('older').disabled = to >= total || capped;
    const limit = document.getElementById('page-limit');
    limit.hidden = !capped;
    limit.textContent = capped ? tr('pageLimit', { max: fmt(to) }) : '';
  }

  async function toggleEvent(group, r) {
    const detail = group.querySelector('tr.detail');
    const open = detail.hidden;
    detail.hidden = !open;
    group.classList.toggle('open', open);
    if (!open || detail.dataset.loaded) return;
    const cell = detail.firstChild;
    cell.replaceChildren(el('p', { class: 'muted', text: tr('loading') }));
    try {
      const x = await api('event', new URLSearchParams({ input: String(r.input), line: String(r.line) }));
      detail.dataset.loaded = '1';
      group.explained = x;
      drawExplanation(cell, x);
    } catch (e) {
      cell.replaceChildren(el('p', { class: 'err', text: tr('error', { error: e.message }) }));
    }
  }

  function badge(score) {
    return el('span', { class: `sev sev${score}`, text: `${score} ${word('severity', score)}` });
  }

  function drawExplanation(cell, x) {
    const ex = x.explanation;
    const facts = el('dl', { class: 'facts' });
    for (const [k, v] of Object.entries(x.event))
      facts.append(
        el('dt', { text: k }),
        el('dd', {
          text:
            k === 'timestamp'
              ? `${when(v)} UTC`
              : Array.isArray(v)
                ? v.join(' ')
                : typeof v === 'object'
                  ? JSON.stringify(v)
                  : String(v),
        }),
      );
    cell.replaceChildren(
      el(
        'div',
        { class: 'explanation' },
        el('h4', { text: tr('explanation') }),
        el(
          'p',
          {},
          badge(ex.severity.score),
          ' ',
          el('strong', { class: 'headline', text: ex.headline[lang] }),
        ),
        el('h4', { text: tr('why') }),
        el(
          'ul',
          { class: 'reasons' },
          ex.severity.reasons.map((r) =>
            el(
              'li',
              {},
              el('span', { class: 'delta', text: r.delta > 0 ? `+${r.delta}` : String(r.delta) }),
              r.text[lang],
            ),
          ),
        ),
        ex.sections.map((s) => [
          el('h4', { text: s.title[lang] }),
          ...s.lines.map((l) => el('p', { text: l[lang] })),
        ]),
        ex.advice.length
          ? [el('h4', { text: tr('advice') }), ...ex.advice.map((a) => el('p', { text: a[lang] }))]
          : [],
        el('h4', { text: tr('details') }),
        facts,
      ),
    );
  }

  function drawFindings() {
    const { total, findings } = last.findings;
    document.getElementById('findings-note').textContent =
      `${tr('findingsNote', { n: fmt(total) })}${findings.length < total ? ` ${tr('findingsCut', { n: fmt(findings.length) })}` : ''}`;
    const list = document.getElementById('findings-list');
    list.replaceChildren();
    for (const f of findings) {
      const evidence = el(
        'ul',
        { class: 'lines' },
        f.evidence.map((e) =>
          el(
            'li',
            {},
            el('span', {
              class: 'where',
              text: `${e.file || ''}${e.line === undefined ? '' : `:${e.line}`}`,
            }),
            el('pre', { text: e.text }),
          ),
        ),
      );
      list.append(
        el(
          'li',
          { class: 'top-item finding' },
          badge(f.severity),
          el(
            'div',
            {},
            el('div', { class: 'top-title', text: f.title[lang] }),
            el(
              'div',
              { class: 'top-meta' },
              f.sources.slice(0, 5).map((s) => pivotable('src', s, s)),
              ` ${when(f.firstSeen)} → ${when(f.lastSeen)} UTC · ${tr('eventCount', { n: fmt(f.counts.events) })}`,
            ),
            el('div', { class: 'top-text', text: f.explanation[lang] }),
            el('details', {}, el('summary', { text: tr('evidence') }), evidence),
          ),
        ),
      );
    }
  }

  function drawUnparsed() {
    const u = last.unparsed;
    document.getElementById('unparsed-note').textContent = tr('unparsedNote', {
      n: fmt(u.total),
      shown: fmt(u.rows.length),
    });
    const body = document.querySelector('#unparsed-table tbody');
    body.replaceChildren(
      ...u.rows.map((r) =>
        el(
          'tr',
          {},
          el('td', { class: 'where', text: `${r.file || ''}:${r.line}` }),
          el('td', { text: r.kind === 'malformed' ? tr('damaged') : tr('unknownFormat') }),
          el('td', {}, el('div', { class: 'small', text: r.reason }), el('pre', { text: r.text })),
        ),
      ),
    );
  }

  // ---- language and theme --------------------------------------------------------------------------
  function setLang(next) {
    lang = next;
    root.dataset.lang = next;
    root.lang = next === 'zh' ? 'zh-CN' : 'en';
    localStorage.setItem('fwlens-lang', next);
    for (const b of document.querySelectorAll('[data-set-lang]'))
      b.setAttribute('aria-pressed', String(b.dataset.setLang === next));
    drawAll();
    for (const g of document.querySelectorAll('#events-table tbody.grp'))
      if (g.explained) drawExplanation(g.querySelector('tr.detail').firstChild, g.explained);
  }

  function setTheme(next) {
    if (next === 'auto') delete root.dataset.theme;
    else root.dataset.theme = next;
    localStorage.setItem('fwlens-theme', next);
    for (const b of document.querySelectorAll('[data-theme-set]'))
      b.setAttribute('aria-pressed', String(b.dataset.themeSet === next));
    if (last.timeline) drawTimeline();
  }

  // ---- start ---------------------------------------------------------------------------------------
  async function start() {
    try {
      meta = await api('meta');
    } catch (e) {
      document.getElementById('status').textContent = e.message;
      return;
    }
    lang = localStorage.getItem('fwlens-lang') || meta.lang;
    setTheme(localStorage.getItem('fwlens-theme') || 'auto');
    for (const b of document.querySelectorAll('[data-set-lang]'))
      b.addEventListener('click', () => setLang(b.dataset.setLang));
    for (const b of document.querySelectorAll('[data-theme-set]'))
      b.addEventListener('click', () => setTheme(b.dataset.themeSet));
    for (const b of document.querySelectorAll('[data-range]'))
      b.addEventListener('click', () => setRange(b.dataset.range));
    document.getElementById('apply').addEventListener('click', () => {
      const read = (id) => {
        const v = document.getElementById(id).value;
        return v ? Date.parse(`${v.length === 16 ? `${v}:00` : v}Z`) : undefined;
      };
      state.range = 'custom';
      state.from = read('from');
      state.to = read('to');
      state.offset = 0;
      refresh();
    });
    document.getElementById('newer').addEventListener('click', () => {
      state.offset = Math.max(0, state.offset - PAGE);
      refresh();
    });
    document.getElementById('older').addEventListener('click', () => {
      state.offset += PAGE;
      refresh();
    });
    window.addEventListener('resize', () => chart?.resize());
    loadHash();
    root.dataset.lang = lang;
    root.lang = lang === 'zh' ? 'zh-CN' : 'en';
    for (const b of document.querySelectorAll('[data-set-lang]'))
      b.setAttribute('aria-pressed', String(b.dataset.setLang === lang));
    refresh();
  }

  start();
})();
