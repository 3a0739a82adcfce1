import type { CompletionRequest } from '@kit/llm';
import type { ScriptedTurn } from '@kit/llm/testing';
import type { OrderLookup } from './order-table.js';

/** What the scripted agent reads from a request of the FSM runtime. */
export interface FsmRequestView {
  /** The state named in the instructions. */
  state: string;
  /** The `<context>` block, parsed. */
  context: Record<string, unknown>;
  /** The customer's latest message ('' when the machine speaks first). */
  userText: string;
  /** Whether the runtime asks for the JSON decision (`responseFormat` set) or for the reply text. */
  wantsDecision: boolean;
}

const STATE_LINE = /The conversation is in the state "([^"]+)"/;
const CONTEXT_BLOCK = /<context>\n([\s\S]*?)\n<\/context>/;

/**
 * Reads a request the way a model would: the state from the instructions, the data from the
 * `<context>` block (the runtime's default prompt templates), the customer's words from the last
 * user message. A request that is not the runtime's is an error, so a changed template fails
 * loudly here instead of scripting the wrong reply.
 */
export function viewFsmRequest(request: CompletionRequest, openingMessage: string): FsmRequestView {
  const text = (index: number) => {
    const content = request.messages[index]?.content;
    return typeof content === 'string' ? content : '';
  };
  const state = STATE_LINE.exec(text(0))?.[1];
  const contextJson = CONTEXT_BLOCK.exec(text(1))?.[1];
  if (state === undefined || contextJson === undefined) throw new Error('the scripted support agent got a request that is not from the FSM runtime');
  const last = request.messages.at(-1);
  const userText = last?.role === 'user' && typeof last.content === 'string' && last.content !== openingMessage ? last.content : '';
  return { state, context: JSON.parse(contextJson) as Record<string, unknown>, userText, wantsDecision: request.responseFormat !== undefined };
}

/** The issue a customer describes, by keywords; undefined when none matches. */
export function issueIn(text: string): string | undefined {
  if (/\b(broken|damaged|torn|cracked)\b/i.test(text)) return 'damaged';
  if (/\bwrong (item|size|colou?r|product)\b/i.test(text)) return 'wrong_item';
  if (/\b(late|hasn'?t arrived|not arrived|still waiting|where is)\b/i.test(text)) return 'late';
  if (/\b(something else|a question)\b/i.test(text)) return 'other';
  return undefined;
}

const ORDER_ID = /\bA-\d{4}\b/i;
const WANTS_HUMAN = /\b(a person|a human|someone real|talk to someone|real person)\b/i;

function decide(view: FsmRequestView): ScriptedTurn {
  const { state, userText } = view;
  const stay = (reasoning: string, contextUpdate: Record<string, unknown> = {}) => ({
    object: { transition: { target_state: state, context_update: contextUpdate }, reasoning },
  });
  const move = (target: string, contextUpdate: Record<string, unknown>, reasoning: string) => ({
    object: { transition: { target_state: target, context_update: contextUpdate }, reasoning },
  });
  switch (state) {
    case 'greeting': {
      const issue = issueIn(userText);
      return move('identify', issue === undefined ? {} : { issue }, 'The customer needs help with an order.');
    }
    case 'identify': {
      const id = ORDER_ID.exec(userText)?.[0];
      return id === undefined ? stay('No order number yet.') : move('diagnose', { order_id: id.toUpperCase() }, `The customer gave order ${id.toUpperCase()}.`);
    }
    case 'diagnose': {
      if (WANTS_HUMAN.test(userText)) return move('escalate', { wants_human: true }, 'The customer asked for a person.');
      const issue = issueIn(userText);
      // The desk's rules pick resolve or escalate from the order and the issue: propose nothing.
      return stay('The details are in; the rules decide what happens next.', issue === undefined ? {} : { issue });
    }
    case 'resolve': {
      const resolution = /\brefund\b/i.test(userText) ? 'refund' : /\b(replace|replacement|new one)\b/i.test(userText) ? 'replacement' : undefined;
      return resolution === undefined ? stay('The customer has not chosen yet.') : move('closed', { resolution }, `The customer chose a ${resolution}.`);
    }
    case 'escalate':
      return move('closed', {}, 'The customer knows what happens next.');
    default:
      return stay('Nothing left to decide.');
  }
}

function describeOrder(order: Extract<OrderLookup, { found: true }>): string {
  return order.status === 'in-transit' ? `the ${order.item}, still in transit and ${order.daysLate} days late` : `the ${order.item}, delivered`;
}

function reply(view: FsmRequestView): string {
  const order = view.context['order'] as OrderLookup | undefined;
  const item = order?.found === true ? order.item : 'order';
  switch (view.state) {
    case 'greeting':
      return 'Hello, this is Nimbus Outfitters support. How can I help you today?';
    case 'identify':
      return order?.found === false
        ? `I can't find an order ${order.id}. Could you check the number in your confirmation email?`
        : `I'm sorry to hear that. What is your order number? It starts with "A-".`;
    case 'diagnose':
      if (order?.found !== true) return 'Let me look at that order. What went wrong with it?';
      return `I found order ${order.id}: ${describeOrder(order)}. ${view.context['issue'] === undefined ? 'What went wrong with it?' : 'Is that the one?'}`;
    case 'resolve':
      return `I'm sorry about the ${item}. I can refund it in full, or send a free replacement by express today. Which would you prefer?`;
    case 'escalate':
      return `I've passed your case to a colleague, who will email you within one business day.`;
    case 'closed': {
      const resolution = view.context['resolution'];
      if (resolution === 'refund') return `Done: the refund for your ${item} shows up within 5 business days. Thanks for your patience!`;
      if (resolution === 'replacement') return `Done: a replacement ${item} ships by express today. Thanks for your patience!`;
      return 'Thank you for your patience. Goodbye!';
    }
    default:
      return 'How can I help?';
  }
}

/**
 * The offline stand-in for a support model behind the FSM runtime: it answers the runtime's
 * requests in the reply format the runtime asks for, reading the state and the context from the
 * prompt and the customer's words with a few regular expressions. It proposes; the engine still
 * decides every transition. Use as a `scriptedModel` reply function.
 */
export function scriptedSupportAgent(openingMessage: string): (request: CompletionRequest) => ScriptedTurn {
  return (request) => {
    const view = viewFsmRequest(request, openingMessage);
    return view.wantsDecision ? decide(view) : { text: reply(view) };
  };
}
