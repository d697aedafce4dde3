import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { SvgRenderer } from './to-html.js';

/**
 * An SVG renderer backed by Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`, bundled: nothing is
 * fetched). Each SVG is made ready to inline: the XML prolog, DOCTYPE and comments are dropped, and element ids get
 * a per-diagram prefix so several diagrams can share one page.
 */
export async function createSvgRenderer(): Promise<SvgRenderer> {
  const graphviz = await Graphviz.load();
  let count = 0;
  return (dot: string) => {
    count++;
    return toInlineSvg(graphviz.dot(dot, 'svg'), `d${count}-`);
  };
}

export function toInlineSvg(svg: string, idPrefix: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/<!DOCTYPE[^>]*>\s*/g, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '')
    .replace(/ id="/g, ` id="${idPrefix}`)
    .trim();
}
