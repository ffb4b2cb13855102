// Script of the fwlens HTML report: language switch, sortable/filterable tables and the ECharts charts.
(() => {
  const data = JSON.parse(document.getElementById('fwlens-data').textContent);
  const root = document.documentElement;
  let lang = data.lang;
  let network = 'narrow';
  const charts = new Map();

  /** A fixed text in the current language with {name} placeholders filled. */
  const tr = (key, vars) =>
    data.ui[key][lang].replace(/\{(\w+)\}/g, (_, k) => (vars && k in vars ? String(vars[k]) : `{${k}}`));
  const loc = (text) => (text ? text[lang] : '');
  const fmt = (n) => Number(n).toLocaleString('en-US');

  // ---- language ----------------------------------------------------------------------------------
  function setLang(next) {
    lang = next;
    root.dataset.lang = next;
    root.lang = next === 'zh' ? 'zh-CN' : 'en';
    document.title = document.title.replace(/^[^–]*/, `${data.ui.title[next]} `);
    for (const b of document.querySelectorAll('[data-set-lang]'))
      b.setAttribute('aria-pressed', String(b.dataset.setLang === next));
    for (const input of document.querySelectorAll('[data-ph-en]'))
      input.placeholder = input.dataset[next === 'zh' ? 'phZh' : 'phEn'];
    for (const table of document.querySelectorAll('table.dt')) updateCount(table);
    drawAll();
  }
  for (const b of document.querySelectorAll('[data-set-lang]'))
    b.addEventListener('click', () => setLang(b.dataset.setLang));

  // ---- tables: expand, sort, filter --------------------------------------------------------------
  function toggle(group) {
    const detail = group.querySelector('tr.detail');
    const button = group.querySelector('.exp');
    const open = detail.hidden;
    detail.hidden = !open;
    group.classList.toggle('open', open);
    if (button) button.setAttribute('aria-expanded', String(open));
  }

  function updateCount(table) {
    const groups = [...table.tBodies];
    const shown = groups.filter((g) => !g.hidden).length;
    const counter = document.querySelector(`[data-count-for="${table.id}"]`);
    if (counter) counter.textContent = tr('shown', { n: fmt(shown), total: fmt(groups.length) });
    const none = table.closest('section').querySelector('.no-match');
    if (none) none.hidden = shown > 0;
  }

  function sortBy(table, th) {
    const key = th.dataset.sort;
    const numeric = th.dataset.type === 'num';
    const current = th.getAttribute('aria-sort');
    // Numbers start with the largest, text from A to Z; a second click reverses.
    const first = numeric ? 'descending' : 'ascending';
    const order = current === first ? (first === 'descending' ? 'ascending' : 'descending') : first;
    for (const other of table.querySelectorAll('th[data-sort]')) other.setAttribute('aria-sort', 'none');
    th.setAttribute('aria-sort', order);
    const col = [...th.parentElement.children].indexOf(th);
    const value = (g) =>
      // innerText, not textContent: sort on the language shown, not on both.
      // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what is sorted
      numeric ? Number(g.dataset[key] || 0) : g.rows[0].cells[col].innerText.trim().toLowerCase();
    const sign = order === 'ascending' ? 1 : -1;
    const groups = [...table.tBodies].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      return sign * (numeric ? va - vb : va.localeCompare(vb, lang));
    });
    for (const g of groups) table.appendChild(g);
  }

  function filterTable(table, query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    for (const g of table.tBodies) {
      const text = g.textContent.toLowerCase();
      g.hidden = !words.every((w) => text.includes(w));
    }
    updateCount(table);
  }

  for (const table of document.querySelectorAll('table.dt')) {
    for (const g of table.tBodies) {
      g.rows[0].addEventListener('click', (e) => {
        if (!e.target.closest('a')) toggle(g);
      });
    }
    for (const th of table.querySelectorAll('th[data-sort]')) {
      th.addEventListener('click', () => sortBy(table, th));
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sortBy(table, th);
        }
      });
    }
  }
  for (const input of document.querySelectorAll('input[data-filter-for]')) {
    const table = document.getElementById(input.dataset.filterFor);
    input.addEventListener('input', () => filterTable(table, input.value));
  }

  // ---- charts ------------------------------------------------------------------------------------
  const css = (name) => getComputedStyle(root).getPropertyValue(name).trim();
  const ACTION_COLORS = Object.fromEntries(
    ['deny', 'reject', 'allow', 'log'].map((a) => [a, css(`--act-${a}`)]),
  );
  const PALETTE = ['#4d7fd6', '#3aa55d', '#ec8b2e', '#9b59b6', '#d64550', '#17a2b8', '#c9a227', '#7b8794'];
  const sevColor = (s) => css(`--sev${Math.min(5, Math.max(1, s || 1))}`);
  const cut = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

  function base() {
    const fg = css('--fg');
    const muted = css('--muted');
    const line = css('--line');
    return {
      fg,
      muted,
      line,
      common: {
        animation: false,
        textStyle: { color: fg, fontFamily: getComputedStyle(document.body).fontFamily },
        tooltip: {
          confine: true,
          backgroundColor: css('--panel'),
          borderColor: line,
          textStyle: { color: fg, fontSize: 12 },
        },
      },
      axis: {
        axisLine: { lineStyle: { color: line } },
        axisTick: { lineStyle: { color: line } },
        axisLabel: { color: muted, fontSize: 11 },
        splitLine: { lineStyle: { color: line } },
      },
    };
  }

  function timeLabel(ms, bucket) {
    const iso = new Date(ms).toISOString();
    if (bucket >= 86400000) return iso.slice(0, 10);
    if (bucket < 60000) return iso.slice(11, 19);
    return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  }

  function timelineOption(b) {
    const tl = data.timeline;
    if (!tl || tl.start === undefined) return undefined;
    const actions = Object.keys(tl.series).sort(
      (x, y) => ['deny', 'reject', 'log', 'allow'].indexOf(x) - ['deny', 'reject', 'log', 'allow'].indexOf(y),
    );
    const length = tl.series[actions[0]].length;
    const labels = Array.from({ length }, (_, i) => timeLabel(tl.start + i * tl.bucketMs, tl.bucketMs));
    return {
      ...b.common,
      legend: { top: 0, textStyle: { color: b.fg } },
      grid: { left: 8, right: 12, top: 34, bottom: 8, containLabel: true },
      tooltip: {
        ...b.common.tooltip,
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        // Own markup: the default marks each row with a style attribute, which the page's CSP refuses.
        formatter: (ps) =>
          [
            `<b>${esc(ps[0]?.axisValueLabel)}</b>`,
            ...ps.map(
              (p) =>
                `<span class="tip-dot tip-${esc(p.seriesId)}"></span>${esc(p.seriesName)}: ${fmt(p.value)}`,
            ),
          ].join('<br>'),
      },
      xAxis: { type: 'category', data: labels, ...b.axis, splitLine: { show: false } },
      yAxis: { type: 'value', minInterval: 1, ...b.axis },
      series: actions.map((a) => ({
        type: 'bar',
        id: a,
        name: loc(data.words.action[a]) || a,
        stack: 'events',
        data: tl.series[a],
        itemStyle: { color: ACTION_COLORS[a] },
        barCategoryGap: '15%',
        large: length > 300,
      })),
    };
  }

  function barOption(b, rows, label, tip) {
    if (rows.length === 0) return undefined;
    return {
      ...b.common,
      grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
      tooltip: { ...b.common.tooltip, trigger: 'item', formatter: (p) => tip(rows[p.dataIndex]) },
      xAxis: { type: 'value', minInterval: 1, ...b.axis },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map(label),
        ...b.axis,
        axisLabel: { ...b.axis.axisLabel, color: b.fg, fontSize: 12 },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => ({
            value: r.events,
            itemStyle: { color: r.sev ? sevColor(r.sev) : PALETTE[0] },
          })),
          label: {
            show: true,
            position: 'right',
            color: b.muted,
            fontSize: 11,
            formatter: (p) => fmt(p.value),
          },
          barMaxWidth: 22,
        },
      ],
    };
  }

  const portName = (key) => loc(data.portLabels[key]);

  function portsOption(b) {
    return barOption(
      b,
      data.ports,
      (p) => cut(`${p.key}  ${portName(p.key)}`, 34),
      (p) =>
        `<b>${esc(p.key)}</b> ${esc(portName(p.key))}<br>${esc(tr('count'))}: ${fmt(p.events)}<br>${esc(tr('from'))}: ${p.sourcesApprox ? '~' : ''}${fmt(p.sources)}`,
    );
  }

  function sourcesOption(b) {
    return barOption(
      b,
      data.sources,
      (s) => s.ip,
      (s) =>
        `<b>${esc(s.ip)}</b> ${esc(loc(s.note))}<br>${esc(tr('count'))}: ${fmt(s.events)}<br>${esc(tr('ports'))}: ${fmt(s.ports)}`,
    );
  }

  function heatmapOption(b) {
    const hm = data.heatmap;
    if (!hm || hm.cells.length === 0) return undefined;
    const max = Math.max(...hm.cells.map((c) => c[2]));
    // Counts are skewed (one scanner, many one-off knocks): colour on a log scale past 2 decades.
    const useLog = max >= 20;
    const scale = (v) => (useLog ? Math.log10(v) : v);
    const hasOther = hm.otherPorts?.some((n) => n > 0);
    const portAt = (i) => hm.ports[i] ?? tr('otherPorts');
    return {
      ...b.common,
      grid: { left: 8, right: 12, top: 8, bottom: 40, containLabel: true },
      tooltip: {
        ...b.common.tooltip,
        formatter: (p) =>
          `<b>${esc(hm.sources[p.value[1]])}</b> → <b>${esc(portAt(p.value[0]))}</b> ${esc(portName(portAt(p.value[0])))}<br>${esc(tr('count'))}: ${fmt(p.value[3])}`,
      },
      xAxis: {
        type: 'category',
        data: hasOther ? [...hm.ports, tr('otherPorts')] : hm.ports,
        ...b.axis,
        axisLabel: { ...b.axis.axisLabel, rotate: 45, interval: 0 },
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        data: hm.sources,
        inverse: true,
        ...b.axis,
        axisLabel: {
          ...b.axis.axisLabel,
          interval: 0,
          fontFamily: 'ui-monospace, Menlo, Consolas, monospace',
        },
      },
      visualMap: {
        type: 'continuous',
        seriesIndex: 0,
        min: 0,
        max: scale(max) || 1,
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 160,
        itemWidth: 10,
        text: [fmt(max), useLog ? '1' : '0'],
        textStyle: { color: b.muted, fontSize: 11 },
        inRange: { color: ['#fde3b8', '#f7b267', '#ef8a3c', '#d64550', '#9e1b32'] },
        calculable: false,
      },
      series: [
        {
          type: 'heatmap',
          data: hm.cells.map(([s, p, n]) => [p, s, scale(n), n]),
          itemStyle: { borderColor: css('--panel'), borderWidth: 1 },
          emphasis: { itemStyle: { borderColor: b.fg } },
        },
        {
          type: 'heatmap',
          data: hasOther
            ? hm.otherPorts.map((n, si) => [hm.ports.length, si, scale(n || 1), n]).filter((c) => c[3] > 0)
            : [],
          itemStyle: { color: css('--line'), borderColor: css('--panel'), borderWidth: 1 },
          label: { show: true, color: b.muted, fontSize: 10, formatter: (p) => fmt(p.value[3]) },
        },
      ],
    };
  }

  function pieOption(b, counts, words) {
    const rows = Object.entries(counts || {}).sort((x, y) => y[1] - x[1]);
    if (rows.length === 0) return undefined;
    const name = (k) => (words?.[k] ? loc(words[k]) : k.toUpperCase());
    return {
      ...b.common,
      color: PALETTE,
      tooltip: {
        ...b.common.tooltip,
        trigger: 'item',
        formatter: (p) => `${esc(p.name)}: ${fmt(p.value)} (${p.percent}%)`,
      },
      legend: { bottom: 0, type: 'plain', textStyle: { color: b.fg, fontSize: 12 } },
      series: [
        {
          type: 'pie',
          radius: ['42%', '68%'],
          center: ['50%', '44%'],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: css('--panel'), borderWidth: 2 },
          label: { color: b.fg, formatter: '{d}%', fontSize: 11 },
          data: rows.map(([k, v]) => ({ name: name(k), value: v })),
        },
      ],
    };
  }

  function orgsOption(b) {
    const rows = data.orgs || [];
    return barOption(
      b,
      rows,
      (o) => cut(o.label, 34),
      (o) =>
        `<b>${esc(o.label)}</b>${o.scanner ? ` (${esc(loc(o.scanner))})` : ''}<br>${esc(tr('count'))}: ${fmt(o.events)}<br>${esc(tr('sources'))}: ${fmt(o.addresses)}`,
    );
  }

  function countriesOption(b) {
    const rows = data.countries || [];
    return barOption(
      b,
      rows,
      (c) => c.country,
      (c) =>
        `<b>${esc(c.country)}</b><br>${esc(tr('count'))}: ${fmt(c.events)}<br>${esc(tr('sources'))}: ${fmt(c.addresses)}`,
    );
  }

  function networksOption(b) {
    const rows = (data.networks?.[network] || []).map((n) => ({ ...n, sev: 0 }));
    return barOption(
      b,
      rows,
      (n) => n.network,
      (n) => `<b>${esc(n.network)}</b><br>${esc(tr('count'))}: ${fmt(n.events)}`,
    );
  }

  const esc = (s) =>
    String(s ?? '').replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
    );

  const BUILDERS = {
    timeline: timelineOption,
    ports: portsOption,
    sources: sourcesOption,
    heatmap: heatmapOption,
    protocol: (b) => pieOption(b, data.counts.byTransport),
    direction: (b) => pieOption(b, data.counts.byDirection, data.words.direction),
    networks: networksOption,
    orgs: orgsOption,
    countries: countriesOption,
  };

  /** Height that fits the rows of a chart (bars and heat map grow with their data). */
  function heightFor(name) {
    const rowsOf = {
      ports: data.ports.length,
      sources: data.sources.length,
      orgs: data.orgs?.length || 0,
      countries: data.countries?.length || 0,
    };
    if (name in rowsOf) return Math.max(160, rowsOf[name] * 28 + 30);
    if (name === 'networks') return Math.max(160, (data.networks?.[network] || []).length * 24 + 30);
    if (name === 'heatmap') return Math.max(220, (data.heatmap?.sources.length || 0) * 24 + 150);
    if (name === 'timeline') return 300;
    return 260;
  }

  function drawAll() {
    const b = base();
    for (const el of document.querySelectorAll('[data-chart]')) {
      const name = el.dataset.chart;
      const option = BUILDERS[name]?.(b);
      const old = charts.get(name);
      if (old) {
        old.dispose();
        charts.delete(name);
      }
      if (!option) {
        el.style.height = '80px';
        el.innerHTML = `<div class="empty">${esc(tr('noCharts'))}</div>`;
        continue;
      }
      el.textContent = '';
      el.style.height = `${heightFor(name)}px`;
      const chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption(option);
      charts.set(name, chart);
    }
  }

  for (const b of document.querySelectorAll('[data-net]'))
    b.addEventListener('click', () => {
      network = b.dataset.net;
      for (const o of document.querySelectorAll('[data-net]'))
        o.setAttribute('aria-pressed', String(o.dataset.net === network));
      drawAll();
    });

  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const c of charts.values()) c.resize();
    }, 120);
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', drawAll);

  setLang(lang);
})();
