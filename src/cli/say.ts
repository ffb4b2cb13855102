// Every sentence fwlens tells the user on stderr goes out here, with log and user text made visible.
import { visibleText } from '../util/visible.js';

/**
 * Write one sentence to `stream` as `fwlens: <sentence>`. File names, values and log text quoted in it
 * may carry ESC sequences, control or bidi characters: they are shown visibly (see visibleText), and a
 * line feed inside the sentence too, so it stays one line.
 */
export function say(stream: NodeJS.WritableStream, sentence: string): void {
  stream.write(`fwlens: ${visibleText(sentence)}\n`);
}
