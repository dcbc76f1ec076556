// The "Plugins:" section of `capstan --help`: installed cli plugins with their short help.
/** Help text listing installed cli plugins (empty when there are none). */
export function pluginHelpText(_env: NodeJS.ProcessEnv): string {
  return "";
}
