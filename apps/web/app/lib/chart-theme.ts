/** Recharts styling shared by every chart, matching the dark theme in globals.css. */
export const chartAxis = { stroke: '#8b9bab', fontSize: 11 };
export const chartGridStroke = '#263442';
export const chartTooltipStyle = { background: '#172029', border: '1px solid #263442' };
