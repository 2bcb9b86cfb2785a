/** The process model-process.ts starts: the fake model server (tests/llm) playing row 5's script. */
import { reply, startFakeOpenAI } from '../tests/llm/fake-openai-server.ts';
import { addedCellId } from '../tests/llm/harness.ts';
import type { ModelCommand, ModelReport } from './model-process.ts';

const fake = await startFakeOpenAI();
let arrivals: number[] = [];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const report = (message: ModelReport) => process.send?.(message);

process.on('message', (command: ModelCommand) => {
  switch (command.type) {
    case 'turn':
      for (let n = 0; n < command.pairs; n++) {
        fake.push(
          () => {
            arrivals.push(now());
            return reply.tools({ name: 'add_cell', arguments: { source: '1+1', cell_type: 'code', after_cell_id: null } });
          },
          (request) => reply.tools({ name: 'run_cell', arguments: { id: addedCellId(request) } }),
        );
      }
      fake.push(() => {
        arrivals.push(now());
        return reply.text('Done.');
      });
      report({ type: 'scripted' });
      return;
    case 'arrivals':
      report({ type: 'arrivals', at: arrivals, remaining: fake.remaining });
      arrivals = [];
      return;
    case 'close':
      void fake.close().then(() => process.exit(0));
      return;
  }
});
report({ type: 'ready', baseURL: fake.baseURL });
