// Metrics figures, rate tables and the two inline SVG charts (no chart library).
(() => {
  const { el, svg, pct } = window.CiteCareAudit;

  function figure(term, value) {
    return [el('dt', { text: term }), el('dd', { text: value })];
  }

  function acceptanceChart(box, days) {
    box.replaceChildren();
    if (!days.length) {
      box.append(el('p', { text: 'No cards shown in this period.' }));
      return;
    }
    const W = 520;
    const H = 200;
    const pad = { l: 36, r: 8, t: 10, b: 40 };
    const max = Math.max(...days.map((d) => d.cards), 1);
    const bw = (W - pad.l - pad.r) / days.length;
    const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
    const total = days.reduce((a, d) => ({ c: a.c + d.cards, a: a.a + d.accepted, o: a.o + d.overridden }), {
      c: 0,
      a: 0,
      o: 0,
    });
    const chart = svg('svg', {
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-labelledby': 'chart-acceptance-caption chart-acceptance-desc',
      class: 'chart',
    });
    chart.append(
      svg('desc', {
        id: 'chart-acceptance-desc',
        text: `${days.length} day(s), ${total.c} cards: ${total.a} accepted, ${total.o} overridden.`,
      }),
      svg('line', { x1: pad.l, x2: W - pad.r, y1: y(0), y2: y(0), class: 'axis' }),
      svg('text', { x: pad.l - 6, y: y(max) + 4, 'text-anchor': 'end', class: 'tick', text: max }),
      svg('text', { x: pad.l - 6, y: y(0) + 4, 'text-anchor': 'end', class: 'tick', text: 0 }),
    );
    days.forEach((d, i) => {
      const x = pad.l + i * bw + bw * 0.15;
      const w = Math.max(2, bw * 0.7);
      let top = y(0);
      const g = svg(
        'g',
        {},
        svg('title', {
          text: `${d.day}: ${d.cards} cards, ${d.accepted} accepted, ${d.overridden} overridden`,
        }),
      );
      for (const [value, cls] of [
        [d.accepted, 'accepted'],
        [d.overridden, 'overridden'],
        [d.cards - d.accepted - d.overridden, 'none'],
      ]) {
        if (value <= 0) continue;
        const h = y(0) - y(value);
        top -= h;
        g.append(svg('rect', { x, y: top, width: w, height: h, class: `bar ${cls}` }));
      }
      chart.append(g);
      if (days.length <= 14 || i % Math.ceil(days.length / 14) === 0) {
        chart.append(
          svg('text', {
            x: x + w / 2,
            y: H - pad.b + 16,
            'text-anchor': 'middle',
            class: 'tick',
            text: d.day.slice(5),
          }),
        );
      }
    });
    box.append(
      chart,
      el(
        'ul',
        { className: 'legend' },
        el('li', {}, el('span', { className: 'swatch accepted' }), 'accepted'),
        el('li', {}, el('span', { className: 'swatch overridden' }), 'overridden'),
        el('li', {}, el('span', { className: 'swatch none' }), 'no feedback'),
      ),
    );
  }

  function reasonsChart(box, reasons) {
    box.replaceChildren();
    if (!reasons.length) {
      box.append(el('p', { text: 'No overrides in this period.' }));
      return;
    }
    const rowH = 26;
    const W = 520;
    const labelW = 190;
    const H = reasons.length * rowH + 8;
    const max = Math.max(...reasons.map((r) => r.count));
    const chart = svg('svg', {
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-labelledby': 'chart-reasons-caption chart-reasons-desc',
      class: 'chart',
    });
    chart.append(
      svg('desc', {
        id: 'chart-reasons-desc',
        text: reasons.map((r) => `${r.reason}: ${r.count}`).join('; '),
      }),
    );
    reasons.forEach((r, i) => {
      const yy = 4 + i * rowH;
      const w = ((W - labelW - 40) * r.count) / max;
      const label = r.reason.length > 28 ? `${r.reason.slice(0, 27)}…` : r.reason;
      chart.append(
        svg(
          'g',
          {},
          svg('title', { text: `${r.reason}: ${r.count}` }),
          svg('text', { x: labelW - 8, y: yy + 16, 'text-anchor': 'end', class: 'label', text: label }),
          svg('rect', {
            x: labelW,
            y: yy + 3,
            width: Math.max(2, w),
            height: rowH - 8,
            class: 'bar overridden',
          }),
          svg('text', { x: labelW + w + 6, y: yy + 16, class: 'label', text: r.count }),
        ),
      );
    });
    box.append(chart);
  }

  function rateTable(caption, keyHeader, rows) {
    return el(
      'table',
      { className: 'rates' },
      el('caption', { text: caption }),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['', 'Cards shown', 'Accepted', 'Overridden', 'Acceptance', 'Override'].map((h, i) =>
            el('th', { scope: 'col', text: i === 0 ? keyHeader : h }),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((r) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row', text: r.key }),
            el('td', { text: r.cards }),
            el('td', { text: r.accepted }),
            el('td', { text: r.overridden }),
            el('td', { text: pct(r.acceptanceRate) }),
            el('td', { text: pct(r.overrideRate) }),
          ),
        ),
      ),
    );
  }

  Object.assign(window.CiteCareAudit, { figure, acceptanceChart, reasonsChart, rateTable });
})();
