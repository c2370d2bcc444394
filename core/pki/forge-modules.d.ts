// node-forge's own forge object, loaded without the package's index (core/pki/forge.ts).
declare module 'node-forge/lib/forge.js' {
  import forge from 'node-forge';
  export default forge;
}
