// The build-time product profile (docs/smart-bms-12-200.md "Build"). `npm run build` defines
// __PROFILE__ as undefined (the smallBMS NG); `npm run build -- --profile 12-200` as "12-200".
// Each file that branches on the profile writes, at its top:
//   const P12200 = typeof __PROFILE__ !== "undefined" && __PROFILE__ === "12-200";
// esbuild folds that to a literal while it parses the file (an imported constant would come too
// late: the file's own constants would no longer be inlined), and drops every `if (P12200)`
// branch from the other profile's bundle. Host code (simulator, web app, tests) that imports such
// a module sees the smallBMS NG.
declare global {
  /** "12-200" in the Smart BMS 12-200 build, undefined otherwise (tools/build.ts `define`) */
  const __PROFILE__: string | undefined;
}
export {};
