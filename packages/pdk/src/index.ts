// @capstan/pdk: what runs inside a plugin: js-pdk globals prelude, typed helpers, generated message types.
export const packageName = "@capstan/pdk";
