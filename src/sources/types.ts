export * from '../domain/source.js';
