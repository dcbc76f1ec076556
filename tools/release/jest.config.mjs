import { preset } from "@capstan/jest-config";

export default preset(import.meta.url);
