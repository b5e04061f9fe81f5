// jsbn ships no types; ip-cidr/ip-address exchange big numbers as jsbn BigIntegers.
declare module "jsbn" {
    export class BigInteger {
        constructor(value: string, radix?: number);
        toString(radix?: number): string;
    }
}
