// `capstan pull <href> [-d dir]`: downloads a file with the getter for the URL scheme.
import { defineCommand } from "../command.js";

/** `capstan pull` */
export const pullCommand = defineCommand({
  name: "pull",
  args: "<href>",
  summary: "download a file through the getter plugin for its URL scheme",
  options: [
    { flags: "-d, --destination <dir>", description: "directory to write the file into", default: "." },
  ],
  async run(_args, _opts, _ctx) {
    throw new Error("pull: not implemented yet");
  },
});
