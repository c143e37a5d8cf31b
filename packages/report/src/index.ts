export { renderHtmlReport, type ReportMeta } from './html-report.js';
export { downsample, lineChart, type ChartOptions, type Series } from './svg-chart.js';
