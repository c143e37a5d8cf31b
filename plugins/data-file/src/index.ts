export { fileSource, fileSource as default } from './file-source.js';
export { fileSourceConfig, type FileSourceConfig } from './config.js';
