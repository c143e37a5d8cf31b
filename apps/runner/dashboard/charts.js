// The dashboard's charts, on TradingView's lightweight-charts: they are updated in place as messages arrive,
// outside Preact's rendering (a chart redrawn from scratch each update would not keep up with a live feed).
import { AreaSeries, CandlestickSeries, ColorType, createChart, createSeriesMarkers, HistogramSeries, LineSeries } from './vendor/lightweight-charts.js';

const THEME = {
  layout: { background: { type: ColorType.Solid, color: '#11151c' }, textColor: '#aab4c3', attributionLogo: false },
  grid: { vertLines: { color: '#1d2430' }, horzLines: { color: '#1d2430' } },
  timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a3342' },
  rightPriceScale: { borderColor: '#2a3342' },
  autoSize: true,
};

const seconds = (ms) => Math.floor(ms / 1000);

/** A simple moving average over the closes, drawn over the candles (the overlays a trader reads first). */
class MovingAverage {
  constructor(chart, period, color) {
    this.period = period;
    this.closes = [];
    this.sum = 0;
    this.series = chart.addSeries(LineSeries, { color, lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: `SMA ${period}` });
  }

  point(bar) {
    this.closes.push(bar.close);
    this.sum += bar.close;
    if (this.closes.length > this.period) this.sum -= this.closes.shift();
    return this.closes.length === this.period ? { time: seconds(bar.time), value: this.sum / this.period } : undefined;
  }

  reset(bars) {
    this.closes = [];
    this.sum = 0;
    this.series.setData(bars.map((b) => this.point(b)).filter((p) => p !== undefined));
  }

  update(bar) {
    const p = this.point(bar);
    if (p !== undefined) this.series.update(p);
  }
}

/** Candles of one symbol with moving averages and the session's fills as entry and exit markers; zoom and pan. */
export class CandleChart {
  constructor(element) {
    this.chart = createChart(element, THEME);
    this.candles = this.chart.addSeries(CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
    this.averages = [new MovingAverage(this.chart, 20, '#f0b429'), new MovingAverage(this.chart, 50, '#7e57c2')];
    this.markers = createSeriesMarkers(this.candles, []);
    this.lastTime = -Infinity;
    this.count = 0;
  }

  show(bars, fills) {
    this.candles.setData(bars.map((b) => ({ time: seconds(b.time), open: b.open, high: b.high, low: b.low, close: b.close })));
    for (const a of this.averages) a.reset(bars);
    this.lastTime = bars.length === 0 ? -Infinity : bars[bars.length - 1].time;
    this.count = bars.length;
    this.setFills(fills);
    this.chart.timeScale().fitContent();
  }

  addBar(bar) {
    if (bar.time < this.lastTime) return;
    this.lastTime = bar.time;
    this.candles.update({ time: seconds(bar.time), open: bar.open, high: bar.high, low: bar.low, close: bar.close });
    for (const a of this.averages) a.update(bar);
    // A young session's few candles are spread over the width; later the user's zoom is left alone.
    if (++this.count <= 120 && this.count % 10 === 0) this.chart.timeScale().fitContent();
  }

  setFills(fills) {
    const markers = fills
      .map((f) => ({ time: seconds(f.time), position: f.side === 'buy' ? 'belowBar' : 'aboveBar', color: f.side === 'buy' ? '#26a69a' : '#ef5350', shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown', text: `${f.side} ${f.quantity}${f.exitReason ? ` (${f.exitReason})` : ''}` }))
      .sort((a, b) => a.time - b.time);
    this.markers.setMarkers(markers);
  }

  remove() {
    this.chart.remove();
  }
}

/** Account equity, and its drawdown from the running peak in a pane below. */
export class EquityChart {
  constructor(element) {
    this.chart = createChart(element, THEME);
    this.equity = this.chart.addSeries(AreaSeries, { lineColor: '#4f8ef7', topColor: 'rgba(79,142,247,0.35)', bottomColor: 'rgba(79,142,247,0.02)', lineWidth: 2, title: 'equity' });
    this.drawdown = this.chart.addSeries(HistogramSeries, { color: '#ef5350', priceFormat: { type: 'percent' }, title: 'drawdown %' }, 1);
    this.peak = -Infinity;
    this.lastTime = -Infinity;
  }

  point(p) {
    this.peak = Math.max(this.peak, p.equity);
    return { time: seconds(p.time), value: this.peak > 0 ? ((p.equity - this.peak) / this.peak) * 100 : 0 };
  }

  show(points) {
    this.peak = -Infinity;
    const unique = points.filter((p, i) => i === 0 || seconds(p.time) > seconds(points[i - 1].time));
    this.equity.setData(unique.map((p) => ({ time: seconds(p.time), value: p.equity })));
    this.drawdown.setData(unique.map((p) => this.point(p)));
    this.lastTime = unique.length === 0 ? -Infinity : unique[unique.length - 1].time;
    this.chart.timeScale().fitContent();
  }

  add(p) {
    if (seconds(p.time) < seconds(this.lastTime)) return;
    this.lastTime = p.time;
    this.equity.update({ time: seconds(p.time), value: p.equity });
    this.drawdown.update(this.point(p));
  }

  remove() {
    this.chart.remove();
  }
}
