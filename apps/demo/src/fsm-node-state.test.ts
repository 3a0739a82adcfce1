import { ConversationTree } from '@kit/conversations';
import { FSM_NODE_METADATA_KEY, FSM_SNAPSHOT_METADATA_KEY } from '@kit/fsm';
import { describe, expect, it } from 'vitest';
import { fsmSnapshotOf, statesAlongActivePath } from './fsm-node-state.js';

const snapshot = (state: string) => ({ machine: 'm', state, context: {}, stack: [], turn: 0 });

describe('fsm node state', () => {
  it('reads snapshots from reply metadata, or from the conversation for a reply written outside the runtime', () => {
    const tree = ConversationTree.create({ id: 'c', rootMessage: { role: 'system', content: '' } });
    const a = tree.addChild(tree.root.id, { role: 'assistant', content: 'hi' }, { metadata: { [FSM_NODE_METADATA_KEY]: { snapshot: snapshot('greeting') } } });
    const u = tree.addChild(a.id, { role: 'user', content: 'x' });
    const b = tree.addChild(u.id, { role: 'assistant', content: 'y' }, { metadata: { [FSM_NODE_METADATA_KEY]: { snapshot: snapshot('identify') } } });
    const c = tree.addChild(u.id, { role: 'assistant', content: 'z' });
    tree.setActive(c.id);
    const metadata = { [FSM_SNAPSHOT_METADATA_KEY]: { nodeId: c.id, snapshot: snapshot('identify') } };
    expect(fsmSnapshotOf(b)?.state).toBe('identify');
    expect(fsmSnapshotOf(c)).toBeUndefined();
    expect(fsmSnapshotOf(c, metadata)?.state).toBe('identify');
    expect(fsmSnapshotOf(u, metadata)).toBeUndefined();
    expect(statesAlongActivePath(tree, metadata)).toEqual(['greeting', 'identify']);
    expect(fsmSnapshotOf(tree.addChild(u.id, { role: 'assistant', content: 'bad' }, { metadata: { [FSM_NODE_METADATA_KEY]: { snapshot: { state: 1 } } } }))).toBeUndefined();
  });
});
