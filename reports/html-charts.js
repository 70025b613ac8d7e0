// Draws the charts of the report page (reports/html.ts) from its JSON blob, with ECharts inlined before this
// script. Browser JS as it is served: the page runs offline and from a file:// URL. The progress charts lay the
// campaigns end to end on one axis of fuzzing time, so their series never overlap and each campaign's findings
// stack on its own stretch.
'use strict';
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const charts = [];
  const draw = (id, option) => {
    const el = document.getElementById(id);
    if (!el) return; // the page shows a note instead where there is nothing to draw
    const chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  };
  // Tooltips are HTML, and pass and op names come from the store.
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  let offset = 0;
  const campaigns = data.campaigns.filter((c) => c.stats.length > 0).map((c) => {
    const start = offset;
    offset += c.stats[c.stats.length - 1].t;
    return { ...c, start };
  });
  const at = (c, s) => (c.start + s.t) / 1000;
  const timeLabel = (v) => (v < 120 ? `${+v.toFixed(1)} s` : v < 7200 ? `${+(v / 60).toFixed(1)} min` : `${+(v / 3600).toFixed(1)} h`);
  const progress = (series, legend) => ({
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (Number.isInteger(v) ? v : v.toFixed(1)) },
    legend: { type: 'scroll', top: 0, ...(legend && { data: legend }) },
    grid: { top: 40, left: 20, right: 30, bottom: 40 },
    xAxis: { type: 'value', min: 0, name: 'fuzzing time', nameLocation: 'middle', nameGap: 26, axisLabel: { formatter: timeLabel } },
    yAxis: { type: 'value' },
    series,
  });
  // A lone sample is a dot, or it would not show at all.
  const line = (name, c, value) => ({ name, type: 'line', showSymbol: c.stats.length < 3, data: c.stats.map((s) => [at(c, s), value(s)]) });
  const perCampaign = (field) => campaigns.map((c) => line(`#${c.id}`, c, (s) => s[field]));

  draw('chart-features', progress(perCampaign('features')));
  draw('chart-cases', progress(perCampaign('cases')));
  draw('chart-rate', progress(perCampaign('casesPerS')));
  const palette = ['#5470c6', '#ee6666', '#fac858', '#91cc75', '#73c0de', '#fc8452', '#9a60b4', '#3ba272', '#ea7ccc'];
  draw('chart-findings', progress(campaigns.flatMap((c) => data.kinds.map((kind, k) => ({
    ...line(kind, c, (s) => s.findingsByKind[kind] || 0), stack: `#${c.id}`, areaStyle: {}, color: palette[k % palette.length],
  }))), data.kinds));

  // Axis labels are measured, so the map leaves room for the longest pass and op names and no more.
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = '12px sans-serif';
  const widest = (names) => Math.max(0, ...names.map((n) => measure.measureText(n).width));
  const heat = (id, map) => {
    const el = document.getElementById(id);
    if (!el) return;
    const cells = [];
    map.counts.forEach((row, y) => row.forEach((n, x) => n > 0 && cells.push([x, y, n])));
    const below = 20 + widest(map.ops) * Math.sin(Math.PI / 3); // op names turned 60°
    el.style.height = `${Math.round(20 + 22 * map.passes.length + below)}px`;
    draw(id, {
      animation: false,
      tooltip: { formatter: (p) => `${esc(map.passes[p.value[1]])} on ${esc(map.ops[p.value[0]])}: ${p.value[2]} of ${map.cases} cases` },
      grid: { top: 10, left: 16 + widest(map.passes), right: 90, bottom: below, outerBoundsMode: 'none' },
      xAxis: { type: 'category', data: map.ops, axisLabel: { rotate: 60, interval: 0 }, splitArea: { show: true } },
      yAxis: { type: 'category', data: map.passes, inverse: true, axisLabel: { interval: 0 }, splitArea: { show: true } },
      visualMap: { min: 0, max: Math.max(...cells.map((c) => c[2])), calculable: true, right: 0, top: 'middle' },
      series: [{ type: 'heatmap', data: cells, emphasis: { itemStyle: { borderColor: '#1f2328', borderWidth: 1 } } }],
    });
  };
  heat('heat-coverage', data.heatMaps.coverage);
  heat('heat-findings', data.heatMaps.findings);

  addEventListener('resize', () => charts.forEach((c) => c.resize()));
})();
