// Response parsing: JSON, fenced code, lists, markdown sections and `Key: value` lines out of
// model replies, each linear in the reply's length.
export { ResponseParser } from './response-parser.js';
export { extractJson, tryExtractJson, extractAllJson, type ExtractJsonOptions } from './extract-json.js';
export { extractCodeBlocks, type CodeBlock, type ExtractCodeBlocksOptions } from './extract-code-blocks.js';
export { extractList, extractListStrings, type ListItem } from './extract-list.js';
export { extractSections, findSection, type MarkdownSection } from './extract-sections.js';
export { extractKeyValues, type KeyValue } from './extract-key-values.js';
export { ResponseSchemaError } from './response-schema-error.js';
export { InvalidParserArgumentError } from './invalid-parser-argument-error.js';
