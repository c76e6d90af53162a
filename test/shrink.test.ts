// The build's `this` alias (tools/shrink-resident.ts aliasThis), on small pieces of bundle text:
// run before and after, the code must do the same thing.
import assert from "node:assert/strict";
import { aliasThis } from "../tools/shrink-resident.ts";

const run = (code: string): unknown => new Function("return " + code)();

describe("build: aliasThis", () => {
  it("aliases_a_method_that_says_this_four_times_and_keeps_what_it_does", () => {
    const code = "(function(){class A{constructor(){this.a=1;this.b=2;this.c=3;this.d=4}sum(){return this.a+this.b+this.c+this.d}}return new A().sum()})()";
    const out = aliasThis(code);
    assert.equal(out.aliased, 2);
    assert.equal(out.code.match(/this/g)!.length, 2, "one `this` left per function, in its alias");
    assert.equal(run(out.code), 10);
  });

  it("leaves_a_function_that_makes_a_closure_or_says_this_less_often", () => {
    const code = "(function(){class A{constructor(){this.a=1;this.b=2;this.c=3;this.f=()=>this.a}g(){return this.a+this.b}}return new A().f()})()";
    const out = aliasThis(code);
    assert.equal(out.aliased, 0);
    assert.equal(out.code, code);
  });

  it("leaves_the_constructor_of_a_derived_class_alone", () => {
    const code = "(function(){class B{}class A extends B{constructor(){super();this.a=1;this.b=2;this.c=3;this.d=4}}return new A().d})()";
    const out = aliasThis(code);
    assert.equal(out.aliased, 0);
    assert.equal(run(out.code), 4);
  });
});
