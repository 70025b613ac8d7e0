// ub dialect: ub.poison. Poison is modelled conservatively: producing it is reported as UB, because tracking
// which later uses would observe it is not worth a false miscompile.
import { defineOps } from './engine.ts';
import { ub } from './ub.ts';

defineOps({
  'ub.poison': {
    compile: () => () => ub('poison', 'ub.poison executed (its value is not tracked, so any use is treated as UB)'),
  },
});
