// @bytecodealliance/wizer ships no types: its default export is the native binary's path.
declare module "@bytecodealliance/wizer" {
  const binaryPath: string;
  export default binaryPath;
}
