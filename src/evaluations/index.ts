export {};
export * from './description.js';
