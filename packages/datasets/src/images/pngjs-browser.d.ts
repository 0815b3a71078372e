// pngjs ships a self-contained browser build without types of its own; it exports what the main entry does.
declare module 'pngjs/browser.js' {
  export * from 'pngjs';
}
